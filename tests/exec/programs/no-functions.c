// Data only: the linked module has no Code section (and ends with name and producers sections).
int answer_table[4] = {42, 43, 44, 45};
