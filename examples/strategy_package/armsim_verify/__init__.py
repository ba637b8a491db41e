"""Example armsim strategies, installed through the ``armsim.strategies`` entry points."""
