// Drives ccall_async.c once the runtime is ready.
Module['onRuntimeInitialized'] = async () => {
  for (const x of [3, 12, -5]) {
    const result = await Module.ccall('slow_square', 'number', ['number'], [x], { async: true });
    console.log(`slow_square(${x}) = ${result}`);
  }
  const promise = Module.ccall('sum_to', 'number', ['number'], [100], { async: true });
  console.log(`ccall returned a promise: ${promise instanceof Promise}`);
  console.log(`sum_to(100) = ${await promise}`);
};
