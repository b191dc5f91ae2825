export {
  PENGUIN_FEATURES,
  PENGUIN_LABELS,
  penguinsDatasetPath,
  penguinsDatasetBytes,
  penguinsDatasetCid,
  parsePenguins,
  splitPenguins,
  featureStats,
  DatasetError,
  type PenguinRow,
  type PenguinsData,
  type PenguinFeature,
  type PenguinLabel,
} from './dataset'
export {
  MODEL_MANIFEST_SCHEMA,
  AGENT_MANIFEST_SCHEMA,
  validateModelManifest,
  validateAgentManifest,
  parseManifest,
  encodeManifest,
  ManifestError,
  type ModelManifest,
  type AgentManifest,
  type ModelInput,
  type ModelOutput,
} from './manifest'
export { mlpToOnnx, decodeOnnx, ONNX_IR_VERSION, ONNX_OPSET, type DenseLayer, type MlpOnnxOptions } from './onnx'
export { OnnxClassifier, InferenceInputError, argmax, type Prediction } from './runtime'
export { ARTIFACTS_DIR, ARTIFACT_FILES, writeArtifacts, readArtifacts, readArtifactMetrics, type ModelArtifacts, type ArtifactMetrics } from './artifacts'
export { seededRandom, shuffled } from './random'
export { trainPenguins, onnxParity, OnnxParityError, ONNX_PARITY_TOLERANCE, DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TrainResult, type TrainMetrics } from './train'
export { penguinsDatasetMetadata, penguinsAgentManifest, penguinsAgentMetadata, vegaDatasetsVersion, type PenguinsAgentOptions } from './demo'
