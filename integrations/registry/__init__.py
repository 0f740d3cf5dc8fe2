"""The municipal property registry: renovation codes, earlier answers, fee debts."""
