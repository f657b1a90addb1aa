"""The rulebook (kb): ingest the committee's documents and answer questions citing 第N条.
Handlers: handlers/ask.py; services and rules: bot/kb/ (service.py); storage: storage/kb.py.

service.py wires the pure pieces (readers, normalize, structure, tokenize, index, qa,
answer, llm) to the database; nothing here but service.py touches storage.
Tables: storage/tables/kb.py.
"""
