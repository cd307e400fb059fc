namespace PayTrack.KronosSimulator;

public static class SimulatorProgram
{
    public static async Task Main(string[] args)
    {
        await using var app = SimulatorApp.Build(args);
        await app.RunAsync();
    }
}
