"""Messaging platforms: the ONLY code that imports a platform library or SDK.
base.py is the contract; telegram.py is shared by ptb.py and aiogram.py; console.py is the terminal.
"""
