namespace Ktrdr.Worker; internal static class Program { private static int Main() => 0; }
