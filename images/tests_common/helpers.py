"""Shared helpers of tests_common (not tests). Imported as a top-level module: this folder has no
__init__.py, so pytest's default import mode puts it on sys.path."""
import json
import re
import shlex
from pathlib import Path

STACK_DIR = Path(__file__).resolve().parent.parent

# Distribution (conda or pip name) -> importable module, where they differ beyond '-' -> '_'.
PYTHON_MODULES = {
    "matplotlib-base": "matplotlib", "beautifulsoup4": "bs4", "gputil": "GPUtil",
    "jupyter-collaboration": "jupyter_collaboration", "scikit-learn": "sklearn", "scikit-image": "skimage",
    "spylon-kernel": "spylon_kernel", "pytables": "tables", "pyqt": "PyQt5", "pillow": "PIL",
    "nltk_data": "nltk", "pytorch": "torch", "umap-learn": "umap", "protobuf": "google.protobuf",
    "opencv-python": "cv2", "opencv-contrib-python-headless": "cv2", "cuda-python": "cuda",
    "nvidia-cuda-nvcc-cu12": "nvidia.cuda_nvcc", "nvidia-nccl-cu12": "nvidia.nccl",
    "nvidia-cudnn-cu12": "nvidia.cudnn", "pyyaml": "yaml",
}
R_LIBRARIES = {"randomforest": "randomForest", "rsqlite": "DBI", "rcurl": "RCurl", "rodbc": "RODBC", "dt": "DT"}
# Not importable as such (C libraries, meta packages, kernels tested elsewhere), as in the former list.
EXCLUDED = {
    "tini", "python", "hdf5", "conda-forge::blas[build=openblas]", "protobuf", "r-irkernel", "unixodbc",
    "bzip2", "openssl", "ca-certificates", "cudnn", "nccl", "cuda-toolkit", "cudatoolkit", "cuda-version",
    "cuda-nvcc", "pytorch-cuda", "jupyterlab_rise[version='<0.40.0']", "jupyterlab-git", "jupyter-pluto-proxy",
}
# Options of pip / uv pip install that take a value (the value is not a package).
VALUE_OPTIONS = {"-c", "--constraint", "-r", "--requirement", "-i", "--index-url", "--extra-index-url",
                 "-f", "--find-links", "--index-strategy", "--python", "-p", "--target", "-t", "--prefix"}


def python_module(distribution):
    name = distribution.split("::")[-1]
    return PYTHON_MODULES.get(name.lower(), PYTHON_MODULES.get(name, name.replace("-", "_")))


def r_library(name):
    bare = name[2:] if name.startswith("r-") else name
    return R_LIBRARIES.get(bare, bare)


def conda_requested(container, from_history=True):
    """{package: version} of the base env, as `conda env export` reports (history = what was asked for)."""
    cmd = ["conda", "env", "export", "-n", "base", "--json", "--no-builds"]
    if from_history:
        cmd.append("--from-history")
    exported = json.loads(container.check_output(cmd))
    packages = {}
    for spec in exported.get("dependencies", []):
        if isinstance(spec, str):
            name, _, version = spec.partition("=")
            packages[name] = version.lstrip("=")
    return packages


def image_folder(image_name):
    """images/<name> of TEST_IMAGE (registry/owner/<name>:<tag>)."""
    name = image_name.rsplit("/", 1)[-1].split("@")[0].split(":")[0]
    return STACK_DIR / name


def image_lineage(image_name):
    """The image's folder and its ancestors' (each Dockerfile's FROM <owner>/<parent>:${BASE_TAG})."""
    folders = []
    folder = image_folder(image_name)
    while folder.is_dir() and folder not in folders:
        folders.append(folder)
        match = re.search(r"^FROM\s+\S+/([\w.-]+):\$\{?BASE_TAG", (folder / "Dockerfile").read_text(), re.M)
        if not match:
            break
        folder = STACK_DIR / match.group(1)
    return folders


def pip_requested(folder):
    """Distributions that `pip install` / `uv pip install` name in a Dockerfile or script of the folder."""
    sources = [folder / "Dockerfile"] + sorted(folder.glob("scripts/**/*.sh"))
    names = []
    for source in sources:
        for line in re.sub(r"\\\n", " ", source.read_text()).splitlines():
            for words in _commands(line):
                for index in range(len(words) - 1):
                    if words[index] in ("pip", "pip3") and words[index + 1] == "install":
                        names.extend(_packages(words[index + 2:]))
    return sorted(set(names))


def _commands(line):
    """The words of each command of a shell line, split at && || ; | ( ) outside quotes (an R or Python
    snippet in quotes may hold a ;)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True  # words as the shell has them (git+https://…), punctuation still apart
    lexer.commenters = "#"
    words = []
    for token in lexer:
        if token and set(token) <= set("();<>|&"):
            yield words
            words = []
        else:
            words.append(token)
    yield words


def _packages(words):
    skip = False
    for word in words:
        if skip or word.startswith("-"):
            skip = word in VALUE_OPTIONS
            continue
        if word.startswith("git+"):
            yield word.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        elif "/" not in word and "$" not in word and not word.startswith("."):
            yield re.split(r"[=<>!~\[]", word, maxsplit=1)[0]
