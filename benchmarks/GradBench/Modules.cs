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
    };

    /// <summary>
    /// GradBench's other evals ask for more than one gradient of a scalar function, which the generator does not
    /// derive yet: <c>success: false</c> with the reason, rather than an answer computed some other way.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Missing = new Dictionary<string, string>
    {
        ["ba"] = "not implemented: ba asks for a sparse Jacobian of a vector-valued function; Differentiator derives gradients of scalar functions only",
        ["ht"] = "not implemented: ht asks for the Jacobian of a vector-valued function; Differentiator derives gradients of scalar functions only",
        ["kmeans"] = "not implemented: kmeans asks for the gradient and the Hessian's diagonal; Differentiator derives no second derivatives yet",
        ["particle"] = "not implemented: particle asks for nested derivatives (a gradient inside an optimised function); not supported yet",
        ["saddle"] = "not implemented: saddle asks for nested gradients (an optimisation inside an optimisation); not supported yet",
    };
}
