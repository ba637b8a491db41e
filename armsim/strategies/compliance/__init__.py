"""The built-in compliance strategies, one module each, named as in the iterated
prisoner's dilemma literature so that the ``axelrod`` library is a peer."""
