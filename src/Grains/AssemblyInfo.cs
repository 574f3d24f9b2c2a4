[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Conductor.Grains.Tests")]
