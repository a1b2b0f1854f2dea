// Asks the host for an answer that only a Promise can give.
#include <stdio.h>

__attribute__((import_module("env"), import_name("get_answer"))) int get_answer(void);

char asyncify_buffer[4096];

int main(void) {
  printf("Waiting for the answer...\n");
  int answer = get_answer();
  printf("The answer is %d.\n", answer);
  return 0;
}
