"""The knowledge base: the city's program document as validated, typed records."""
from knowledge.loader import KnowledgeError, load_knowledge
from knowledge.models import Knowledge

__all__ = ["Knowledge", "KnowledgeError", "load_knowledge"]
