// The loopback KeyValueStore API stand-in lives in examples/ (the demo uses it too); tests import it from here.
export {
  type KeyValueStoreStub,
  type RecordedKvsRequest,
  startKeyValueStoreStub,
} from '../../examples/local-keyvaluestore.mjs';
