// calc [FILE]: a small programming language over numbers, interpreted.
//
//   def fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }
//   i = 0
//   while i < 10 { print "fib", i, "=", fib(i); i = i + 1 }
//   2 ^ 10            # a bare expression prints its value
//
// Statements end at a newline or ';'. Operators by precedence: || && ; == != < <= > >= ; + - ;
// * / % ; unary - ! ; ^ (right-associative). Builtins: sqrt abs floor ceil. Variables assigned in
// a function are local to the call. Without FILE it reads stdin line by line (a statement
// continues while braces or parentheses are open), so it works as an interactive prompt.
//
// Design: a hand-written lexer and recursive-descent parser build a tree that is evaluated
// directly. wasi-libc has no setjmp, so an error sets a flag that every loop and evaluation step
// checks; the statement loop then reports it with the line number and goes on at the next line.
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>

enum { T_END, T_NEWLINE, T_NUM, T_NAME, T_STR, T_OP };
enum { N_NUM, N_STR, N_VAR, N_BIN, N_NEG, N_NOT, N_CALL, N_ASSIGN, N_PRINT, N_IF, N_WHILE,
       N_BLOCK, N_RETURN, N_DEF, N_EXPR };

typedef struct Node {
  int kind, line;
  double num;
  char op[3];
  char *name;
  struct Node *a, *b, *c;
  struct Node **items;
  int count;
} Node;

typedef struct Var { char *name; double value; struct Var *next; } Var;
typedef struct Func { char *name; Node *def; struct Func *next; } Func;

static const char *src;     // text being parsed
static int line_no = 1;
static int tok_kind, tok_line;
static double tok_num;
static char tok_text[256];
static int paren_depth;      // newlines inside (...) do not end a statement

static int had_error;
static int running;            // evaluating, not parsing
static int parse_error_midline; // a parse error left the rest of its line unread
static Var *globals;
static Var *frame;           // locals of the running call, NULL at top level
static Func *functions;
static int depth;
static int returning;
static double return_value;

static void fail(int line, const char *format, ...) {
  if (had_error) return; // report only the first error of a statement
  va_list args;
  va_start(args, format);
  fprintf(stderr, "calc: line %d: ", line);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  had_error = 1;
  if (!running) parse_error_midline = tok_kind != T_NEWLINE && tok_kind != T_END;
  tok_kind = T_END;
}

// ---- lexer ----

static void next(void) {
  if (had_error) return;
  for (;;) {
    while (*src == ' ' || *src == '\t' || *src == '\r' || (*src == '\n' && paren_depth > 0)) {
      if (*src == '\n') line_no++;
      src++;
    }
    if (*src == '#') { while (*src && *src != '\n') src++; continue; }
    break;
  }
  tok_line = line_no;
  if (!*src) { tok_kind = T_END; return; }
  if (*src == '\n') { src++; line_no++; tok_kind = T_NEWLINE; return; }
  if (isdigit((unsigned char)*src) || (*src == '.' && isdigit((unsigned char)src[1]))) {
    char *end;
    tok_num = strtod(src, &end);
    src = end;
    tok_kind = T_NUM;
    return;
  }
  if (isalpha((unsigned char)*src) || *src == '_') {
    int n = 0;
    while ((isalnum((unsigned char)*src) || *src == '_') && n < 255) tok_text[n++] = *src++;
    tok_text[n] = '\0';
    tok_kind = T_NAME;
    return;
  }
  if (*src == '"') {
    int n = 0;
    src++;
    while (*src && *src != '"' && *src != '\n' && n < 255) tok_text[n++] = *src++;
    if (*src != '"') { fail(line_no, "unterminated string"); return; }
    src++;
    tok_text[n] = '\0';
    tok_kind = T_STR;
    return;
  }
  static const char *two[] = {"==", "!=", "<=", ">=", "&&", "||"};
  for (size_t i = 0; i < sizeof two / sizeof *two; i++) {
    if (src[0] == two[i][0] && src[1] == two[i][1]) {
      memcpy(tok_text, two[i], 3);
      src += 2;
      tok_kind = T_OP;
      return;
    }
  }
  if (!strchr("+-*/%^<>=!(),;{}", *src)) { fail(line_no, "unexpected character '%c'", *src); return; }
  if (*src == '(') paren_depth++;
  if (*src == ')' && paren_depth > 0) paren_depth--;
  tok_text[0] = *src++;
  tok_text[1] = '\0';
  tok_kind = T_OP;
}

static int is_op(const char *op) { return tok_kind == T_OP && strcmp(tok_text, op) == 0; }
static int is_word(const char *w) { return tok_kind == T_NAME && strcmp(tok_text, w) == 0; }

static void expect(const char *op) {
  if (!is_op(op)) fail(tok_line, "expected '%s'", op);
  next();
}

static void skip_newlines(void) {
  while (tok_kind == T_NEWLINE || is_op(";")) next();
}

// ---- parser ----

static Node *node(int kind) {
  Node *n = calloc(1, sizeof *n);
  n->kind = kind;
  n->line = tok_line;
  return n;
}

static void push(Node *list, Node *item) {
  list->items = realloc(list->items, (list->count + 1) * sizeof *list->items);
  list->items[list->count++] = item;
}

static Node *expression(void);
static Node *statement(void);
static Node *unary(void);

static Node *primary(void) {
  Node *n;
  if (tok_kind == T_NUM) {
    n = node(N_NUM);
    n->num = tok_num;
    next();
  } else if (tok_kind == T_NAME) {
    n = node(N_VAR);
    n->name = strdup(tok_text);
    next();
    if (is_op("(")) {
      n->kind = N_CALL;
      next();
      while (!is_op(")") && !had_error) {
        push(n, expression());
        if (!is_op(")")) expect(",");
      }
      next();
    }
  } else if (is_op("(")) {
    next();
    n = expression();
    expect(")");
  } else {
    fail(tok_line, tok_kind == T_END || tok_kind == T_NEWLINE ? "unexpected end of statement" : "unexpected '%s'", tok_text);
    n = node(N_NUM);
  }
  return n;
}

static Node *power(void) {
  Node *base = primary();
  if (!is_op("^")) return base;
  Node *n = node(N_BIN);
  strcpy(n->op, "^");
  next();
  n->a = base;
  n->b = is_op("-") || is_op("!") ? unary() : power(); // right-associative: 2^-1, 2^3^2
  return n;
}

static Node *unary(void) {
  if (is_op("-") || is_op("!")) {
    Node *n = node(is_op("-") ? N_NEG : N_NOT);
    next();
    n->a = unary();
    return n;
  }
  return power();
}

// Binary levels, loosest first; each entry lists that level's operators.
static const char *levels[][7] = {
  {"||"}, {"&&"}, {"==", "!=", "<", "<=", ">", ">="}, {"+", "-"}, {"*", "/", "%"},
};

static Node *binary(int level) {
  if (level == (int)(sizeof levels / sizeof *levels)) return unary();
  Node *left = binary(level + 1);
  for (;;) {
    const char *op = NULL;
    for (int i = 0; levels[level][i]; i++) {
      if (is_op(levels[level][i])) op = levels[level][i];
    }
    if (!op) return left;
    Node *n = node(N_BIN);
    strcpy(n->op, op);
    next();
    n->a = left;
    n->b = binary(level + 1);
    left = n;
  }
}

static Node *expression(void) { return binary(0); }

static Node *block(void) {
  Node *n = node(N_BLOCK);
  expect("{");
  skip_newlines();
  while (!is_op("}") && !had_error) {
    if (tok_kind == T_END) { fail(tok_line, "missing '}'"); break; }
    push(n, statement());
    skip_newlines();
  }
  next();
  return n;
}

static Node *statement(void) {
  Node *n;
  if (is_word("def")) {
    n = node(N_DEF);
    next();
    if (tok_kind != T_NAME) fail(tok_line, "expected a function name");
    n->name = strdup(tok_text);
    next();
    expect("(");
    n->a = node(N_BLOCK); // parameters as N_VAR nodes
    while (!is_op(")") && !had_error) {
      if (tok_kind != T_NAME) { fail(tok_line, "expected a parameter name"); break; }
      Node *p = node(N_VAR);
      p->name = strdup(tok_text);
      push(n->a, p);
      next();
      if (!is_op(")")) expect(",");
    }
    next();
    n->b = block();
  } else if (is_word("if")) {
    n = node(N_IF);
    next();
    n->a = expression();
    n->b = block();
    if (is_word("else")) {
      next();
      n->c = is_word("if") ? statement() : block();
    }
  } else if (is_word("while")) {
    n = node(N_WHILE);
    next();
    n->a = expression();
    n->b = block();
  } else if (is_word("return")) {
    n = node(N_RETURN);
    next();
    if (tok_kind != T_NEWLINE && tok_kind != T_END && !is_op(";") && !is_op("}")) n->a = expression();
  } else if (is_word("print")) {
    n = node(N_PRINT);
    next();
    for (;;) {
      if (tok_kind == T_STR) {
        Node *s = node(N_STR);
        s->name = strdup(tok_text);
        push(n, s);
        next();
      } else {
        push(n, expression());
      }
      if (!is_op(",")) break;
      next();
    }
  } else if (tok_kind == T_NAME && src[strspn(src, " \t")] == '=' && src[strspn(src, " \t") + 1] != '=') {
    n = node(N_ASSIGN);
    n->name = strdup(tok_text);
    next();
    expect("=");
    n->a = expression();
  } else {
    n = node(N_EXPR);
    n->a = expression();
  }
  // A statement ending in a block may be followed by another on the same line.
  int ends_in_block = n->kind == N_DEF || n->kind == N_IF || n->kind == N_WHILE;
  if (!ends_in_block && tok_kind != T_NEWLINE && tok_kind != T_END && !is_op(";") && !is_op("}")) {
    fail(tok_line, "unexpected '%s' after statement", tok_kind == T_NUM ? "number" : tok_text);
  }
  return n;
}

// ---- evaluator ----

// A long computation pauses every 50 ms: sched_yield is an asynchronous import, so the whole
// interpreter stack unwinds to the browser's event loop and rewinds. The page keeps drawing, and
// Ctrl+C (which takes effect at the program's next system call) can stop an endless loop.
static void maybe_yield(void) {
  static unsigned steps;
  static long long last_ms;
  if (++steps % 4096 != 0) return;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  long long now_ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
  if (now_ms - last_ms >= 50) {
    last_ms = now_ms;
    sched_yield();
  }
}

static Var **find_var(Var **list, const char *name) {
  for (; *list; list = &(*list)->next) {
    if (strcmp((*list)->name, name) == 0) return list;
  }
  return list;
}

static void set_var(Var **list, const char *name, double value) {
  Var **slot = find_var(list, name);
  if (!*slot) {
    *slot = calloc(1, sizeof **slot);
    (*slot)->name = strdup(name);
  }
  (*slot)->value = value;
}

static double run(Node *n);

static double call(Node *n) {
  static const struct { const char *name; double (*fn)(double); } builtins[] = {
    {"sqrt", sqrt}, {"abs", fabs}, {"floor", floor}, {"ceil", ceil},
  };
  for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++) {
    if (strcmp(n->name, builtins[i].name) == 0) {
      if (n->count != 1) { fail(n->line, "%s takes one argument", n->name); return 0; }
      return builtins[i].fn(run(n->items[0]));
    }
  }
  Func *f = functions;
  while (f && strcmp(f->name, n->name) != 0) f = f->next;
  if (!f) { fail(n->line, "unknown function '%s'", n->name); return 0; }
  Node *params = f->def->a;
  if (params->count != n->count) { fail(n->line, "%s takes %d arguments", n->name, params->count); return 0; }
  if (depth >= 1000) { fail(n->line, "recursion too deep"); return 0; }
  maybe_yield();
  Var *locals = NULL;
  for (int i = 0; i < n->count; i++) set_var(&locals, params->items[i]->name, run(n->items[i]));
  Var *saved = frame;
  frame = locals;
  depth++;
  run(f->def->b);
  depth--;
  frame = saved;
  while (locals) { Var *v = locals->next; free(locals->name); free(locals); locals = v; }
  double result = returning ? return_value : 0;
  returning = 0;
  return result;
}

static double binop(Node *n) {
  const char *op = n->op;
  if (strcmp(op, "&&") == 0) return run(n->a) != 0 && run(n->b) != 0;
  if (strcmp(op, "||") == 0) return run(n->a) != 0 || run(n->b) != 0;
  double x = run(n->a), y = run(n->b);
  switch (op[0]) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': if (y == 0) fail(n->line, "division by zero"); return y == 0 ? 0 : x / y;
    case '%': if (y == 0) fail(n->line, "division by zero"); return y == 0 ? 0 : fmod(x, y);
    case '^': return pow(x, y);
    case '=': return x == y;
    case '!': return x != y;
    case '<': return op[1] ? x <= y : x < y;
    case '>': return op[1] ? x >= y : x > y;
  }
  fail(n->line, "bad operator %s", op);
  return 0;
}

static void print_number(double v) {
  if (v == floor(v) && fabs(v) < 1e15) printf("%.0f", v);
  else printf("%.10g", v);
}

static double run(Node *n) {
  if (had_error) return 0;
  switch (n->kind) {
    case N_NUM: return n->num;
    case N_VAR: {
      Var **v = frame ? find_var(&frame, n->name) : NULL;
      if (!v || !*v) v = find_var(&globals, n->name);
      if (!*v) { fail(n->line, "undefined variable '%s'", n->name); return 0; }
      return (*v)->value;
    }
    case N_BIN: return binop(n);
    case N_NEG: return -run(n->a);
    case N_NOT: return run(n->a) == 0;
    case N_CALL: return call(n);
    case N_ASSIGN: {
      double v = run(n->a);
      set_var(frame ? &frame : &globals, n->name, v);
      return v;
    }
    case N_PRINT:
      for (int i = 0; i < n->count; i++) {
        if (i) putchar(' ');
        if (n->items[i]->kind == N_STR) fputs(n->items[i]->name, stdout);
        else print_number(run(n->items[i]));
      }
      putchar('\n');
      return 0;
    case N_IF:
      if (run(n->a) != 0) run(n->b);
      else if (n->c) run(n->c);
      return 0;
    case N_WHILE:
      while (!returning && !had_error && run(n->a) != 0) {
        run(n->b);
        maybe_yield();
      }
      return 0;
    case N_BLOCK:
      for (int i = 0; i < n->count && !returning && !had_error; i++) run(n->items[i]);
      return 0;
    case N_RETURN:
      if (!frame && depth == 0) fail(n->line, "return outside a function");
      return_value = n->a ? run(n->a) : 0;
      returning = 1;
      return 0;
    case N_DEF: {
      Func *f = calloc(1, sizeof *f);
      f->name = n->name;
      f->def = n;
      f->next = functions; // the newest definition wins
      functions = f;
      return 0;
    }
    case N_EXPR: {
      double v = run(n->a);
      if (had_error) return 0;
      print_number(v);
      putchar('\n');
      return 0;
    }
  }
  return 0;
}

/** Runs every statement in `text`; returns 1 if one failed. Line numbers continue from `first_line`. */
static int run_text(const char *text, int first_line) {
  src = text;
  line_no = first_line;
  paren_depth = 0;
  int status = 0;
  for (;;) {
    next();
    skip_newlines();
    if (tok_kind == T_END && !had_error) break;
    parse_error_midline = 0;
    if (!had_error) {
      Node *statement_node = statement();
      if (!had_error) {
        running = 1;
        run(statement_node);
        running = 0;
      }
    }
    fflush(stdout);
    if (had_error) {
      status = 1;
      had_error = 0;
      running = 0;
      frame = NULL;
      depth = 0;
      returning = 0;
      paren_depth = 0;
      // After a parse error, resume at the next line so one mistake does not hide the rest.
      if (parse_error_midline) {
        while (*src && *src != '\n') src++;
      }
    }
  }
  return status;
}

/** Whether `text` leaves a brace or parenthesis open (the statement continues). */
static int incomplete(const char *text) {
  int open = 0, in_string = 0;
  for (const char *p = text; *p; p++) {
    if (*p == '"') in_string = !in_string;
    else if (in_string) continue;
    else if (*p == '#') { while (*p && p[1] != '\n') p++; }
    else if (*p == '{' || *p == '(') open++;
    else if (*p == '}' || *p == ')') open--;
  }
  return open > 0;
}

int main(int argc, char **argv) {
  FILE *in = stdin;
  if (argc > 1) {
    in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 1; }
  }
  if (in != stdin) {
    // A whole file is parsed at once so that a function may be called before its definition
    // runs only if its def came earlier, as in a script.
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    size_t n;
    while ((n = fread(text + len, 1, cap - len - 1, in)) > 0) {
      len += n;
      if (len + 1 == cap) text = realloc(text, cap *= 2);
    }
    text[len] = '\0';
    fclose(in);
    return run_text(text, 1);
  }
  char *pending = NULL, *line = NULL;
  size_t pending_len = 0, cap = 0;
  int line_start = 1, lines_read = 0, status = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) >= 0) {
    lines_read++;
    pending = realloc(pending, pending_len + n + 1);
    memcpy(pending + pending_len, line, n + 1);
    pending_len += n;
    if (incomplete(pending)) continue;
    status |= run_text(pending, line_start);
    pending_len = 0;
    line_start = lines_read + 1;
  }
  if (pending_len) status |= run_text(pending, line_start);
  return status;
}
