using System;
using System.Globalization;
using Differentiator.Samples.Support;
using TestScores;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
TestScoresSample.Run(OutputFolder.Resolve(args, "TestScores"), Console.Out);
