// C++ virtual calls that pause: the indirect calls of a polymorphic expression tree.
// emcc-flags: -sASYNCIFY
#include <emscripten.h>
#include <cstdio>
#include <memory>
#include <vector>

struct Node {
  virtual ~Node() = default;
  virtual long eval() = 0;
};

struct Leaf : Node {
  explicit Leaf(long v) : value(v) {}
  long eval() override {
    emscripten_sleep(value % 3);  // some leaves pause, some do not
    return value;
  }
  long value;
};

struct Add : Node {
  Add(std::unique_ptr<Node> l, std::unique_ptr<Node> r) : left(std::move(l)), right(std::move(r)) {}
  long eval() override { return left->eval() + right->eval(); }
  std::unique_ptr<Node> left, right;
};

struct Mul : Node {
  Mul(std::unique_ptr<Node> l, std::unique_ptr<Node> r) : left(std::move(l)), right(std::move(r)) {}
  long eval() override {
    long l = left->eval();
    return l * right->eval();
  }
  std::unique_ptr<Node> left, right;
};

static std::unique_ptr<Node> build(int depth, long &counter) {
  if (depth == 0) return std::make_unique<Leaf>(++counter);
  auto l = build(depth - 1, counter);
  auto r = build(depth - 1, counter);
  if (depth % 2) return std::make_unique<Add>(std::move(l), std::move(r));
  return std::make_unique<Mul>(std::move(l), std::move(r));
}

int main() {
  std::vector<std::unique_ptr<Node>> trees;
  for (int d = 1; d <= 5; d++) {
    long counter = d;
    trees.push_back(build(d, counter));
  }
  for (size_t i = 0; i < trees.size(); i++) std::printf("tree %zu = %ld\n", i, trees[i]->eval());
  return 0;
}
