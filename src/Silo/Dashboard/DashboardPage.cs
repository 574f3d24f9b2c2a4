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
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.8em; text-align: left; }
th { background: #eee; }
h2 { font-size: 1.1em; margin-bottom: 0; }
.warn { color: #a40; }
.bad { color: #b00; font-weight: bold; }
.note { color: #666; font-size: 0.9em; }
#counts span { margin-right: 1.5em; }
</style>
</head>
<body>
<h1>Conductor management <small id="cluster"></small></h1>
<p id="updated">loading…</p>
<p id="gateway" class="warn"></p>
<div id="counts"></div>
<h2>Tenants</h2>
<table>
<thead><tr><th>Tenant cluster</th><th>Federation stream</th><th>Last heartbeat</th><th>Channel</th><th>Missed acks</th></tr></thead>
<tbody id="tenants"></tbody>
</table>
<h2>Degraded channels</h2>
<p id="degraded"></p>
<h2>WAL back-pressure</h2>
<p id="wal" class="note"></p>
<h2>Recent revocations</h2>
<table>
<thead><tr><th>When</th><th>Cluster</th><th>Kind</th><th>Object</th><th>Reason</th></tr></thead>
<tbody id="revocations"></tbody>
</table>
<h2>RunnerConfig progress</h2>
<p id="runnerconfigs-error" class="warn"></p>
<table>
<thead><tr><th>RunnerConfig</th><th>Cluster</th><th>Phase</th><th>Current step</th><th>Steps ended</th><th>Failed step</th></tr></thead>
<tbody id="runnerconfigs"></tbody>
</table>
<script>
function rows(id, items, className, cells) {
  document.getElementById(id).replaceChildren(...items.map(item => {
    const row = document.createElement('tr');
    row.className = className;
    for (const [text, cls] of cells(item)) {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (cls) cell.className = cls;
      row.appendChild(cell);
    }
    return row;
  }));
}
function age(seconds) {
  return seconds === null || seconds === undefined ? 'none yet' : seconds.toFixed(1) + ' s ago';
}
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
    rows('tenants', state.tenants, 'tenant', t => [
      [t.clusterId], [t.stream], [t.sessionError ?? age(t.heartbeatAgeSeconds), t.sessionError ? 'warn' : ''],
      [t.degraded ? 'degraded' : 'healthy', t.degraded ? 'bad' : ''], [String(t.missedAcks)]]);
    const degraded = state.tenants.filter(t => t.degraded).map(t => t.clusterId);
    document.getElementById('degraded').textContent = degraded.length ? 'degraded: ' + degraded.join(', ') : 'none';
    document.getElementById('degraded').className = degraded.length ? 'bad' : '';
    document.getElementById('wal').textContent = state.walBackPressure;
    rows('revocations', state.revocations, 'revocation', r => [
      [r.revokedAt], [r.clusterId], [r.target], [(r.namespace ? r.namespace + '/' : '') + r.name], [r.reason]]);
    document.getElementById('runnerconfigs-error').textContent = state.runnerConfigsError ?? '';
    rows('runnerconfigs', state.runnerConfigs, 'runnerconfig', r => [
      [r.namespace + '/' + r.name], [r.clusterRef], [r.phase, r.phase === 'Failed' ? 'bad' : ''], [r.currentStep ?? '—'],
      [r.stepsDone + ' / ' + r.stepsTotal], [r.failedStep ?? '']]);
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
