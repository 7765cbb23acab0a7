using System;
using System.Globalization;
using Differentiator.Samples.Support;
using OneVariable;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
OneVariableSample.Run(OutputFolder.Resolve(args, "OneVariable"), Console.Out);
