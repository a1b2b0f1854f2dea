// Async imports for WebAssembly: Asyncify-instrumented modules, native JSPI, or plain modules.
export { Instance, compile, instantiate, instantiateStreaming } from './src/instance.js';
export { rejectAs, reentrant } from './src/markers.js';
export { hasJspi } from './src/jspi-backend.js';
export {
  AsyncifyError, AsyncifyBufferOverflowError, AsyncifyStateError, AsyncifyImportError,
  AsyncifyConfigError,
} from './src/errors.js';
