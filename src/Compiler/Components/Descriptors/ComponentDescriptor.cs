using Conductor.Components;

namespace Conductor.Compiler.Components.Descriptors;

/// <summary>
/// A component definition read from a descriptor file, with <see cref="Locate"/> mapping a field path
/// (<c>principals[0].permissionSets[1].rules[0].verbs</c>) to <c>file:line:column</c> for error messages.
/// </summary>
public sealed record ComponentDescriptor(string Path, ComponentDefinition Definition, Func<string, string> Locate);
