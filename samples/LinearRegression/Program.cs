using System;
using System.Globalization;
using Differentiator.Samples.Support;
using LinearRegression;

// Fits y = X·w + b by gradient descent, with the gradient MseGradient that the Differentiator generator derived
// from Losses.Mse at compile time (see obj/generated/ for the code it wrote). Pictures go to output/ (or the
// folder given as the first argument).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
LinearRegressionSample.Run(OutputFolder.Resolve(args, "LinearRegression"), Console.Out);
