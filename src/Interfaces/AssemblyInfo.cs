[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Conductor.Interfaces.Tests")]
