// Package acctest is test-only support for acceptance tests: provider
// factories, pre-checks, the local EC2 emulator and the fixture that plays
// EngFlow's side of PrivateLink. The same tests run against the emulator
// (default) or a real AWS account (ENGFLOW_ACC_TARGET=aws).
package acctest
