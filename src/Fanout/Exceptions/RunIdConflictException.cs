namespace Fanout;

/// <summary>
/// A run was started with a caller-chosen id (<see cref="RunOptions.RunId"/>, or <c>"id"</c> in
/// <c>POST /runs</c>) that already names a run of another task or input. Nothing was started and the
/// existing run is unchanged: a run id names one run, so pick another id for another run.
/// </summary>
public sealed class RunIdConflictException : FanoutException
{
    // Inputs may be up to a MiB: the message shows their start only.
    private const int InputShown = 200;

    /// <summary>Creates the exception for a start that asked for something other than what the run holds.</summary>
    public RunIdConflictException(string runId, string existingTaskName, string existingInputJson, string requestedTaskName, string requestedInputJson)
        : base(BuildMessage(runId, existingTaskName, existingInputJson, requestedTaskName, requestedInputJson))
    {
        RunId = runId;
        ExistingTaskName = existingTaskName;
        ExistingInputJson = existingInputJson;
    }

    /// <summary>The run id asked for.</summary>
    public string RunId { get; }

    /// <summary>The task of the run that already has this id.</summary>
    public string ExistingTaskName { get; }

    /// <summary>The input (JSON) of the run that already has this id.</summary>
    public string ExistingInputJson { get; }

    private static string BuildMessage(string runId, string existingTask, string existingInput, string requestedTask, string requestedInput)
    {
        var asked = existingTask == requestedTask ? $"input {Shown(requestedInput)}" : $"task '{requestedTask}'";
        return $"Run id '{runId}' is already taken by a run of '{existingTask}' on input {Shown(existingInput)}; this start asked for {asked}. " +
               "A run id names one run: use another id to start another run.";
    }

    private static string Shown(string json) => json.Length <= InputShown ? json : $"{json[..InputShown]}... ({json.Length} characters)";
}
