// The loopback CloudFront API stand-in lives in examples/ (the demo uses it too); tests import it from here.
export {
  type CloudFrontStub,
  type RecordedInvalidation,
  startCloudFrontStub,
} from '../../examples/local-cloudfront.mjs';
