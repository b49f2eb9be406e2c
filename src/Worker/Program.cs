using Ktrdr.Worker.Cli;

return await KtrdrCli.RunAsync(args);
