using System;
using System.Globalization;
using CurveFit;
using Differentiator.Samples.Support;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CurveFitSample.Run(OutputFolder.Resolve(args, "CurveFit"), Console.Out);
