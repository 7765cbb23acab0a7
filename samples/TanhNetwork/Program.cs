using System;
using System.Globalization;
using Differentiator.Samples.Support;
using TanhNetwork;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
TanhNetworkSample.Run(OutputFolder.Resolve(args, "TanhNetwork"), Console.Out);
