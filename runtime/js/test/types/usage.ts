// Compiled (not run) by types.test.js: the declarations must accept real usage.
import {
  AsyncifyBufferOverflowError, Instance, instantiate, instantiateStreaming, rejectAs, reentrant,
  type Options,
} from '../../index.js';

const options: Options = {
  backend: 'auto',
  exports: (name) => name !== 'sync_only',
  bufferExports: ['asyncify_buffer', 'asyncify_buffer_size'],
  bufferSize: 4096,
  debug: (line) => console.log(line),
};

export async function use(bytes: Uint8Array, response: Response): Promise<void> {
  const imports = {
    env: {
      get: rejectAs(async (x: number) => x + 1, -1),
      callback: reentrant(async () => 0),
    },
  };
  const { module, instance } = await instantiate(bytes, imports, options);
  const again: Instance = await instantiate(module, imports);
  const direct = new Instance(module, imports, { buffer: { address: 1024, size: 1024 } });
  const streamed = await instantiateStreaming(response, imports);
  const backend: 'asyncify' | 'jspi' | 'sync' = streamed.instance.backend;
  try {
    await (instance.exports.main as () => Promise<number>)();
  } catch (error) {
    if (error instanceof AsyncifyBufferOverflowError) console.log(error.message, backend, again, direct);
  }
}
