using System;
using System.Globalization;
using Differentiator.Samples.Support;
using Standardization;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
StandardizationSample.Run(OutputFolder.Resolve(args, "Standardization"), Console.Out);
