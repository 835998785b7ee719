"""Reading a spoken sales conversation: dialogue acts, targeted facts, objection handling.

Pure and deterministic like the rest of the grader: the engine (``simulator``) calls
:func:`read_turn` to let its buyers answer, and the ``call`` kind grades with it.
"""

from grader.conversation.acts import SentenceReading, TurnReading, read_turn
from grader.conversation.facts import CHAMP, FACTS, bant, targets_of

__all__ = ["CHAMP", "FACTS", "SentenceReading", "TurnReading", "bant", "read_turn", "targets_of"]
