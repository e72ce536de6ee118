// A process the crash tests start and kill with SIGKILL part-way through a run.
//   start  <db> <n> [map|tree]
//                        starts a run of CrashTasks.Main (bounded map, the default) or CrashTasks.Tree (nested,
//                        everything in flight at once) over n items; prints "RUN <id>", then waits for it
//   resume <db> <runId>  starts the runtime on the same journal; waits for the resumed run; prints
//                        "RESULT <sum> <count>" and "ROOT_ATTEMPTS <n>"
// Every executed item appends "<pid> <item>" to the file named by FANOUT_CRASH_LOG.
using Fanout;
using Fanout.CrashHost;

if (args.Length is < 3 or > 4 || args[0] is not ("start" or "resume"))
{
    Console.Error.WriteLine("usage: Fanout.CrashHost start <db> <n> [map|tree] | resume <db> <runId>");
    return 2;
}

await using var fanout = await FanoutRuntime.StartEmbeddedAsync(new FanoutRuntimeOptions
{
    DatabasePath = args[1],
    HttpPort = null,
    AkkaConfig = "akka.actor.serialize-messages = on",
});

RunHandle<int[]> run;
if (args[0] == "start")
{
    var root = args.Length == 4 && args[3] == "tree" ? CrashTasks.Tree : CrashTasks.Main;
    run = await fanout.RunAsync(root, int.Parse(args[2]));
    Console.WriteLine($"RUN {run.Id}");
}
else
{
    run = fanout.GetRun<int[]>(args[2]);
}

var result = await run.WaitAsync();
var rootAction = (await run.GetActionsAsync(new ActionQuery(Limit: 1))).Actions[0];
Console.WriteLine($"RESULT {result.Sum()} {result.Length}");
Console.WriteLine($"ROOT_ATTEMPTS {rootAction.Attempts}");
return 0;
