// Imports for asyncify_imports.c: one that pauses, one that returns at once.
mergeInto(LibraryManager.library, {
  delayed_add: function (a, b) {
    return Asyncify.handleSleep((wakeUp) => setTimeout(() => wakeUp(a + b), 1));
  },
  immediate_mul: function (a, b) {
    return a * b;
  },
});
