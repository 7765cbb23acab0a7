"""Runs a GradBench eval script under Debian 12's pydantic 1.10.

GradBench's python/gradbench/gradbench/eval.py reads responses with pydantic 2's BaseModel.model_validate, which
pydantic 1 names parse_obj; this is the only pydantic 2 call the evals make. Usage:
    python3 pydantic1.py EVAL_SCRIPT [ARGS...]
"""
import runpy
import sys

import pydantic

if not hasattr(pydantic.BaseModel, "model_validate"):
    pydantic.BaseModel.model_validate = classmethod(lambda cls, obj: cls.parse_obj(obj))

script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
