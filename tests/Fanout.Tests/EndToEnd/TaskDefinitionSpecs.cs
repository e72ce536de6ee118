namespace Fanout.Tests.EndToEnd;

/// <summary>The forms a task can be defined in, and what each becomes.</summary>
public sealed class TaskDefinitionSpecs
{
    private static readonly TaskEnvironment Env = new("definition_specs", new TaskOptions { Retries = 2 }, role: "gpu");

    [Fact]
    public async Task Each_form_of_Task_gives_the_definition_its_body_implies()
    {
        var valued = Env.Task("valued", (int x, CancellationToken ct) => Task.FromResult(x + 1));
        var noToken = Env.Task("no_token", (int x) => Task.FromResult($"{x}"));
        var noInput = Env.Task("no_input", (CancellationToken ct) => Task.FromResult(7));
        var noOutput = Env.Task("no_output", async (int x, CancellationToken ct) => await Task.Yield());

        Assert.IsType<TaskDefinition<int, int>>(valued);
        Assert.IsType<TaskDefinition<int, string>>(noToken);
        Assert.IsType<TaskDefinition<Unit, int>>(noInput);
        Assert.IsType<TaskDefinition<int, Unit>>(noOutput);
        Assert.Equal(8, await valued.InvokeAsync(7));
        Assert.Equal(7, await noInput.InvokeAsync());
        Assert.Equal(Unit.Value, await noOutput.InvokeAsync(1));
    }

    [Fact]
    public void A_task_takes_its_environment_name_defaults_and_role_with_its_own_options_on_top()
    {
        var task = Env.Task("with_options", (int x) => Task.FromResult(x), new TaskOptions { Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal("definition_specs.with_options", task.Name);
        Assert.Equal("with_options", task.ShortName);
        Assert.Equal("gpu", task.Environment.Role);
        Assert.Equal(2, task.Options.Retries);
        Assert.Equal(TimeSpan.FromSeconds(5), task.Options.Timeout);
        Assert.Equal(typeof(int), task.InputType);
    }

    [Fact]
    public void A_task_knows_the_assembly_its_body_comes_from_whatever_form_it_was_defined_in()
    {
        var forms = new TaskDefinition[]
        {
            Env.Task("asm_valued", (int x, CancellationToken ct) => Task.FromResult(x)),
            Env.Task("asm_no_token", (int x) => Task.FromResult(x)),
            Env.Task("asm_no_input", (CancellationToken ct) => Task.FromResult(1)),
            Env.Task("asm_no_output", (int x, CancellationToken ct) => Task.CompletedTask),
        };

        Assert.All(forms, task => Assert.Equal(typeof(TaskDefinitionSpecs).Assembly, task.DefiningAssembly));
    }
}
