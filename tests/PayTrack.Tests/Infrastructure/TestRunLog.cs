namespace PayTrack.Tests.Infrastructure;

/// <summary>
/// Lines about the test run itself (which PostgreSQL it uses), for the person running <c>dotnet test</c>: on standard
/// error (shown with <c>--logger "console;verbosity=normal"</c>) and in <c>TestResults/paytrack-test-run.log</c> beside
/// the test assembly, which tests/Directory.Build.targets prints after the run.
/// </summary>
public static class TestRunLog
{
    private static readonly Lock Gate = new();
    private static bool _started;

    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "paytrack-test-run.log");

    public static void Write(string line)
    {
        var stamped = $"[{Path.GetFileNameWithoutExtension(typeof(TestRunLog).Assembly.Location)}] {line}";
        lock (Gate)
        {
            Console.Error.WriteLine(stamped);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                if (!_started)
                {
                    File.WriteAllText(FilePath, "");
                    _started = true;
                }

                File.AppendAllText(FilePath, stamped + Environment.NewLine);
            }
            catch (IOException)
            {
            }
        }
    }
}
