using System;
using System.IO;
using Differentiator.GradBench;

// GradBench's eval writes messages to our stdin and reads responses from our stdout, one JSON object a line.
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
new Session(Console.In, stdout).Run();
