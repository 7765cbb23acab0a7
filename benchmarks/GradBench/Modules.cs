using System.Collections.Generic;
using Differentiator.GradBench.Evals;

namespace Differentiator.GradBench;

/// <summary>The modules this tool answers <c>define</c> for, and why it declines the others.</summary>
public static class Modules
{
    public static readonly IReadOnlyDictionary<string, IModule> Implemented = new Dictionary<string, IModule>
    {
        ["hello"] = new HelloModule(),
        ["llsq"] = new LlsqModule(),
        ["lse"] = new LseModule(),
        ["det"] = new DetModule(),
        ["ode"] = new OdeModule(),
        ["gmm"] = new GmmModule(),
        ["lstm"] = new LstmModule(),
        ["kmeans"] = new KMeansModule(),
        ["ba"] = new BundleAdjustmentModule(),
        ["ht"] = new HandTrackingModule(),
    };

    /// <summary>
    /// The evals this tool declines, with the reason: <c>success: false</c> rather than an answer computed some other
    /// way. particle and saddle differentiate a function that itself takes a gradient (nested differentiation): a
    /// <c>[Differentiable]</c> method cannot call a generated gradient (DIFF020).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Missing = new Dictionary<string, string>
    {
        ["particle"] = "not implemented: particle needs nested derivatives (a gradient inside a differentiated function), which Differentiator rejects (DIFF020)",
        ["saddle"] = "not implemented: saddle needs nested gradients (an optimisation inside an optimisation), which Differentiator rejects (DIFF020)",
    };
}
