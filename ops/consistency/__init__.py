"""`manage.py check_consistency`: do the rows and the stored files agree?

After a restore, and every night: each registered case keeps its process and documents,
each document's file exists with its recorded size and hash, each certificate's PDF
exists, matches its hash and verifies as /verify/ would, each settled payment belongs to
a case that is past its fees, each open task's step exists in a loaded flow, and no SMS
is stuck unsent past its sweep.
"""
