using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Fanout.Runtime;

/// <summary>
/// Every task defined in this process, by full name. A node runs an action by looking its task up
/// here, so a node knows the tasks of every assembly it has loaded and initialized.
/// </summary>
internal static class TaskCatalog
{
    private static readonly ConcurrentDictionary<string, TaskDefinition> Tasks = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Assembly, bool> LoadedAssemblies = new();

    public static void Register(TaskDefinition task)
    {
        var existing = Tasks.GetOrAdd(task.Name, task);
        if (!ReferenceEquals(existing, task))
            throw new ArgumentException(
                $"A task named '{task.Name}' is already defined; task names must be unique in a process", "name");
    }

    public static bool TryGet(string name, out TaskDefinition task) => Tasks.TryGetValue(name, out task!);

    public static TaskDefinition Get(string name) =>
        TryGet(name, out var task) ? task : throw new UnknownTaskException(name, Tasks.Keys);

    public static IReadOnlyCollection<string> Names => Tasks.Keys.ToList();

    /// <summary>
    /// Runs the static initializers of every type in <paramref name="assembly"/> that declares a static
    /// task field, so tasks defined as <c>static readonly</c> fields are registered before a node needs them.
    /// </summary>
    /// <exception cref="FanoutException">A type's static initializer threw; the message names the type.</exception>
    public static void LoadAssembly(Assembly assembly)
    {
        if (!LoadedAssemblies.TryAdd(assembly, true)) return;
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }

        foreach (var type in types)
        {
            if (type.ContainsGenericParameters) continue;
            var declaresTasks = type
                .GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Any(f => typeof(TaskDefinition).IsAssignableFrom(f.FieldType));
            if (!declaresTasks) continue;
            try
            {
                RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            }
            catch (TypeInitializationException e)
            {
                // Not marked as loaded: every later attempt fails the same clear way until the type is fixed.
                LoadedAssemblies.TryRemove(assembly, out _);
                var cause = e.InnerException ?? e;
                throw new FanoutException(
                    $"The tasks defined in {type.FullName} could not be registered: {cause.GetType().Name}: {cause.Message}", cause);
            }
        }
    }
}
