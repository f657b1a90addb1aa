"""Messaging platforms: the ONLY code that imports a platform library or SDK.
base.py is the contract; telegram.py is shared by ptb.py and aiogram.py; console.py is the terminal;
wecom*.py serve WeCom's AI bot over its long connection (wecom.py is the channel).
"""
