using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fanout.Runtime;

/// <summary>
/// Decides, when a task is defined, whether its input and output types survive a trip through
/// System.Text.Json. A type fails when the serializer refuses it outright, when it cannot be
/// constructed on the way back (an interface, an abstract class, no usable constructor), or when one
/// of its serialized members could not be set again (a get-only property no constructor takes).
/// </summary>
internal static class JsonRoundTrip
{
    public static void Check(string taskName, Type type)
    {
        var reason = FindProblem(type, new HashSet<Type>(), depth: 0);
        if (reason is not null)
            throw new TaskTypeNotSerializableException(taskName, type, reason);
    }

    private static string? FindProblem(Type type, HashSet<Type> seen, int depth)
    {
        if (!seen.Add(type) || depth > 32) return null;
        if (typeof(Delegate).IsAssignableFrom(type)) return "a delegate has no JSON form";
        if (typeof(Task).IsAssignableFrom(type)) return "a Task has no JSON form; return its result type instead";

        JsonTypeInfo info;
        try
        {
            info = PayloadJson.Options.GetTypeInfo(type);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return e.Message;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.None:
                return type == typeof(object) ? "'object' loses its type on the way back; use a concrete type" : null;
            case JsonTypeInfoKind.Enumerable:
            case JsonTypeInfoKind.Dictionary:
                if (info.CreateObject is null && type.IsInterface is false && type.IsArray is false && !HasUsableConstructor(type))
                    return $"the collection type {type.Name} cannot be created on the way back";
                if (info.ElementType is { } element && FindProblem(element, seen, depth + 1) is { } elementProblem)
                    return $"its elements ({element.Name}): {elementProblem}";
                if (info.KeyType is { } key && FindProblem(key, seen, depth + 1) is { } keyProblem)
                    return $"its keys ({key.Name}): {keyProblem}";
                return null;
            case JsonTypeInfoKind.Object:
                return ObjectProblem(type, info, seen, depth);
            default:
                return null;
        }
    }

    private static string? ObjectProblem(Type type, JsonTypeInfo info, HashSet<Type> seen, int depth)
    {
        if (type.IsInterface || type.IsAbstract)
            return $"{type.Name} is an interface or abstract class, so JSON cannot tell which type to create";
        if (info.CreateObject is null && !type.IsValueType && !HasUsableConstructor(type))
            return $"{type.Name} has no public parameterless constructor and no single public constructor to deserialize with";

        foreach (var property in info.Properties)
        {
            var settable = property.Set is not null || property.AssociatedParameter is not null;
            if (!settable)
                return $"its member '{property.Name}' is serialized but cannot be set back (no setter and no constructor parameter)";
            if (FindProblem(property.PropertyType, seen, depth + 1) is { } problem)
                return $"its member '{property.Name}' ({property.PropertyType.Name}): {problem}";
        }
        return null;
    }

    private static bool HasUsableConstructor(Type type)
    {
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        return constructors.Length == 1
               || constructors.Any(c => c.GetParameters().Length == 0)
               || constructors.Any(c => c.IsDefined(typeof(System.Text.Json.Serialization.JsonConstructorAttribute)));
    }
}
