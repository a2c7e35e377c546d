#!/usr/bin/env python3
# Copyright (c) parlai-site-deploy authors. MIT licence.
"""Run one of ParlAI's docs generators, or sphinx-build, with the heavy modules mocked.

ParlAI's docs import torch (about 1 GB), scikit-learn, scipy and transformers only so that
`import parlai.…` succeeds: nothing is trained or loaded. This wrapper installs Sphinx's own import mock
(`sphinx.ext.autodoc.mock.mock`) for those modules around the whole program, and gives the mocked torch the
three values the build actually reads:

- `torch.cuda.device_count()` returns 0 (no CUDA devices: the CPU defaults of the CLI options);
- `torch.Tensor` is a real class, so `isinstance(x, torch.Tensor)` works (and is False);
- `torch.optim` holds torch's optimizer classes by name, in torch's order, so the `--optimizer` choices
  list the same names as a build with torch installed.

`autodoc_mock_imports` in conf.py would not be enough: the seven generate_*.py scripts run outside Sphinx.

Usage:
    python3 mock_heavy.py [--hide MODULE]... sphinx-build ARG...     # sphinx.cmd.build.main(ARGS)
    python3 mock_heavy.py [--hide MODULE]... SCRIPT.py ARG...         # runs SCRIPT as __main__

`--hide MODULE` makes `import MODULE` fail with ImportError, as if it were not installed (the site build
hides pygments from website/generate.py, whose Markdown then renders code blocks unhighlighted, as
ParlAI's website build does). `--no-mock` runs without mocks (for comparison with a faithful install).
"""

import os
import runpy
import sys

# What the documented modules (parlai.core, .agents, .scripts, .utils, .mutators, .chat_service, and the
# generate_*.py scripts) import that the light requirements leave out: the packages of ParlAI's
# requirements.txt that pull in torch or that only a model run needs (torch, torchvision, torchtext, scikit-learn, scipy,
# transformers, Pillow, openai, litellm, pytest-regressions), and pytorch_pretrained_bert, without which the
# BERT agents' pages lose their options tables. The list was found by running every generate_*.py script and
# sphinx-build -W until nothing failed to import; the result has the same 199 docs files as a build with torch.
HEAVY_MODULES = [
    'torch',
    'torchvision',
    'torchtext',
    'sklearn',
    'scipy',
    'transformers',
    'PIL',
    'pytorch_pretrained_bert',
    'pytest_regressions',
    'litellm',
    'openai',
]

# torch.optim's optimizer classes, in the order torch 1.13 and 2.0 define them (torch/optim/__init__.py).
# TorchAgent.optim_opts() lists `k.lower()` for every capitalised name in `torch.optim.__dict__`.
TORCH_OPTIMIZERS = [
    'Adadelta',
    'Adagrad',
    'Adam',
    'AdamW',
    'SparseAdam',
    'Adamax',
    'ASGD',
    'SGD',
    'RAdam',
    'Rprop',
    'RMSprop',
    'Optimizer',
    'NAdam',
    'LBFGS',
]

# Version strings the mocked packages report: what ParlAI's CircleCI website job installs (torch==2.0.0 from
# requirements.txt, transformers~=4.29.0).
TORCH_VERSION = '2.0.0'
TRANSFORMERS_VERSION = '4.29.2'


class _Hidden:
    """A meta path finder that makes the named modules (and their submodules) fail to import."""

    def __init__(self, names):
        self.names = list(names)

    def find_spec(self, fullname, path=None, target=None):
        for name in self.names:
            if fullname == name or fullname.startswith(name + '.'):
                raise ModuleNotFoundError(f"No module named '{fullname}' (hidden by mock_heavy.py)", name=fullname)
        return None


def _prepare_mocks():
    """Imports the mocked torch and sets the three values ParlAI's docs build reads (and the version strings)."""
    import importlib

    from sphinx.ext.autodoc.mock import _make_subclass

    torch = importlib.import_module('torch')
    cuda = importlib.import_module('torch.cuda')
    optim = importlib.import_module('torch.optim')

    def device_count():
        return 0

    cuda.device_count = device_count
    cuda.is_available = lambda: False

    class Tensor:
        """Stands in for torch.Tensor: a real class, so isinstance() checks work (and are False)."""

        __module__ = 'torch'

    torch.Tensor = Tensor
    # Read with packaging.version by a few modules (parlai.scripts.torchscript, parlai.utils.testing).
    torch.__version__ = TORCH_VERSION
    for name in TORCH_OPTIMIZERS:
        # A class deriving from Sphinx's mock object: subclassable, callable, documented as torch.optim.NAME.
        setattr(optim, name, _make_subclass(name, 'torch.optim'))

    # parlai.agents.hugging_face parses transformers.__version__ into ints at import time.
    importlib.import_module('transformers').__version__ = TRANSFORMERS_VERSION


def _usage(message):
    sys.stderr.write(f'mock_heavy.py: {message}\n')
    sys.stderr.write('usage: mock_heavy.py [--no-mock] [--hide MODULE]... (sphinx-build ARG... | SCRIPT.py ARG...)\n')
    sys.exit(2)


def main(argv):
    hidden = []
    use_mock = True
    while argv and argv[0].startswith('--'):
        option = argv.pop(0)
        if option == '--hide' and argv:
            hidden.append(argv.pop(0))
        elif option == '--no-mock':
            use_mock = False
        elif option == '--':
            break
        else:
            _usage(f'unknown option {option}')
    if not argv:
        _usage('nothing to run')
    if hidden:
        sys.meta_path.insert(0, _Hidden(hidden))
        for name in hidden:
            for loaded in [m for m in sys.modules if m == name or m.startswith(name + '.')]:
                del sys.modules[loaded]

    target, args = argv[0], argv[1:]

    def run():
        if target == 'sphinx-build':
            from sphinx.cmd.build import main as sphinx_build

            return sphinx_build(args)
        script = os.path.abspath(target)
        # As `python SCRIPT ARGS`: argv, and the script's folder first on sys.path.
        sys.argv = [script] + args
        sys.path.insert(0, os.path.dirname(script))
        runpy.run_path(script, run_name='__main__')
        return 0

    if not use_mock:
        return run()
    from sphinx.ext.autodoc.mock import mock

    with mock(HEAVY_MODULES):
        _prepare_mocks()
        return run()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
