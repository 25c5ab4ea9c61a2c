"""The law's data: who may certify which star level in which period (Decisions 1048, 148,
1489), as a table with its sources (certifiers.yaml), and the check of a certificate."""
