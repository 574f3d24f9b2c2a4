namespace Conductor.Silo.Dashboard;

/// <summary>The dashboard page: static HTML whose script polls <see cref="DashboardExtensions.StatePath"/>.</summary>
internal static class DashboardPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Conductor management</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-top: 1em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.8em; text-align: left; }
th { background: #eee; }
.warn { color: #a40; }
#counts span { margin-right: 1.5em; }
</style>
</head>
<body>
<h1>Conductor management <small id="cluster"></small></h1>
<p id="updated">loading…</p>
<p id="gateway" class="warn"></p>
<div id="counts"></div>
<table>
<thead><tr><th>Tenant cluster</th><th>Federation stream</th></tr></thead>
<tbody id="tenants"></tbody>
</table>
<script>
async function refresh() {
  try {
    const response = await fetch('/dashboard/api/state', { cache: 'no-store' });
    const state = await response.json();
    document.getElementById('cluster').textContent = state.clusterRef;
    document.getElementById('updated').textContent = 'updated ' + state.at;
    document.getElementById('gateway').textContent = state.federationGatewayRunning
      ? '' : 'The federation gateway is not running in this agent: no tenant can connect.';
    const c = state.counts;
    document.getElementById('counts').innerHTML =
      `<span>connected tenants: ${c.connectedTenants}</span><span>degraded: ${c.degradedTenants}</span>` +
      `<span>audit events received: ${c.auditEventsReceived}</span><span>acked: ${c.auditEventsAcked}</span>` +
      `<span>signatures: ${c.signatures}</span>`;
    const body = document.getElementById('tenants');
    body.replaceChildren(...state.tenants.map(t => {
      const row = document.createElement('tr');
      row.className = 'tenant';
      for (const text of [t.clusterId, t.stream]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.appendChild(cell);
      }
      return row;
    }));
  } catch (e) {
    document.getElementById('updated').textContent = 'cannot reach the agent: ' + e;
  }
}
refresh();
setInterval(refresh, 2000);
</script>
</body>
</html>
""";
}
