"""Versions and thread pools of the Python peers, for the report's header.

threadpoolctl is read before torch is imported: importing torch here resets libgomp's
default thread count to torch's own (1 on this Debian build), which scikit-learn would
not see in its own process.
"""
import platform

import numpy as np
import sklearn
import sklearn.cluster  # loads scikit-learn's OpenMP runtime
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

from common import emit, blas_info

info = {
    "python": platform.python_version(),
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "sklearnOpenmpThreads": _openmp_effective_n_threads(),
    "blas": blas_info(),
}
try:
    import threadpoolctl
    info["threadpoolctl"] = threadpoolctl.__version__
except ImportError:
    pass
try:
    import torch
    info["torch"] = torch.__version__
    info["torchThreads"] = torch.get_num_threads()
except ImportError:
    info["torch"] = None
emit(info)
