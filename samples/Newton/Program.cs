using System;
using System.Globalization;
using Differentiator.Samples.Support;
using Newton;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
NewtonSample.Run(OutputFolder.Resolve(args, "Newton"), Console.Out);
