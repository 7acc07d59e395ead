"""``python -m detector``: the command line (same as ``detector``)."""
from .cli import main

main()
