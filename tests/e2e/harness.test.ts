/**
 * Tests of the engine-side harness (tools/harness), against the fixture program and dynamic provider
 * in tests/fixtures/harness-basic, whose provider reports every call to a recorder HTTP server.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { AddressInfo } from "node:net";
import { collect, destroy, isSecret, OperationResult, preview, readState, refresh, StackRef, UNKNOWN, up } from "../../tools/harness";
import type { Item } from "../fixtures/harness-basic";

const FIXTURE_DIR = path.join(__dirname, "..", "fixtures", "harness-basic");
const PROJECT = "harnessfix";


type Body = Record<string, unknown> & { inputs?: Item & { note?: string }; news?: Item; id?: string };

interface Call {
    method: string;
    auth: string | undefined;
    body: Body;
}

/** The recorder server the fixture provider posts to; also the "cloud" holding the objects. */
class Recorder {
    calls: Call[] = [];
    readonly objects = new Map<string, Record<string, unknown>>();
    private serial = 0;
    private readonly server = http.createServer((req, res) => {
        let text = "";
        req.on("data", (d: Buffer) => (text += d.toString()));
        req.on("end", () => {
            const method = (req.url ?? "/").slice(1);
            const body = JSON.parse(text) as Body;
            this.calls.push({ method, auth: req.headers.authorization, body });
            const [status, reply] = this.handle(method, body);
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(reply));
        });
    });

    private handle(method: string, body: Body): [number, object] {
        switch (method) {
            case "create": {
                const inputs = body.inputs as Item;
                if (inputs.failCreate) {
                    return [500, { error: `create refused: failCreate is set on size ${inputs.size}` }];
                }
                const serial = ++this.serial;
                const id = `thing-${serial}`;
                this.objects.set(id, { ...inputs, serial });
                return [200, { id, serial }];
            }
            case "update": {
                const news = body.news as Item;
                if (news.failUpdate) {
                    return [500, { error: "update refused: failUpdate is set" }];
                }
                const serial = ++this.serial;
                this.objects.set(body.id as string, { ...news, serial });
                return [200, { serial }];
            }
            case "read": {
                const obj = this.objects.get(body.id as string);
                return [200, obj ? { props: obj } : { missing: true }];
            }
            case "delete":
                this.objects.delete(body.id as string);
                return [200, {}];
            default:
                return [200, {}];
        }
    }

    /** Methods called, in order. */
    methods(): string[] {
        return this.calls.map((c) => c.method);
    }

    /** Calls of one method. */
    of(method: string): Call[] {
        return this.calls.filter((c) => c.method === method);
    }

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    stop(): Promise<void> {
        return new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}

function assertOk(r: OperationResult): void {
    assert.ok(r.ok, `${r.operation} failed: ${JSON.stringify(r.errors)} ${JSON.stringify(r.checkFailures)}\n${r.programLog}\n${r.hostLog}`);
}

describe("engine-side harness", function () {
    this.timeout(60_000);
    const recorder = new Recorder();
    let endpoint = "";
    let tmp = "";

    before(async () => {
        endpoint = await recorder.start();
    });
    after(() => recorder.stop());
    beforeEach(() => {
        recorder.calls = [];
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "harness-test-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    function stack(items: Item[], opts: { stack?: string; token?: string; note?: string } = {}): StackRef {
        const name = opts.stack ?? "dev";
        const config: StackRef["config"] = {
            "fixture:endpoint": endpoint,
            "fixture:token": { secret: opts.token ?? "token-1" },
            "fixture:items": JSON.stringify(items),
            [`${PROJECT}:label`]: `label-of-${name}`,
        };
        if (opts.note !== undefined) {
            config["fixture:note"] = { secret: opts.note };
        }
        return { projectDir: FIXTURE_DIR, program: path.join(FIXTURE_DIR, "index.ts"), project: PROJECT, stack: name, config, stateFile: path.join(tmp, `${name}.json`) };
    }

    const A: Item = { name: "a", size: 1, region: "eu" };
    const B: Item = { name: "b", size: 2, region: "us", peer: "a" };

    it("preview calls only Check and Diff, plans the creates and writes no state", async () => {
        const r = await preview(stack([A, B]));
        assertOk(r);
        assert.equal(r.summary.create, 2);
        assert.deepEqual([r.grpcCalls.Create, r.grpcCalls.Update, r.grpcCalls.Delete], [0, 0, 0]);
        assert.ok(r.grpcCalls.Check >= 2);
        assert.deepEqual(recorder.of("create"), []);
        assert.ok(r.steps.every((s) => s.status === "planned"));
        assert.equal((r.outputs.ids as Record<string, string>).a, UNKNOWN);
        assert.equal(fs.existsSync(stack([]).stateFile), false);
    });

    it("up creates, records state and resolves outputs from the created resources; a second up is a no-op", async () => {
        const s = stack([A, B], { note: "very-secret-note" });
        const first = await up(s);
        assertOk(first);
        assert.equal(first.grpcCalls.Create, 2);
        const created = recorder.of("create");
        assert.equal(created.length, 2);
        const state = readState(s.stateFile);
        const [a, b] = state.resources;
        assert.deepEqual([a.name, b.name], ["a", "b"]);
        assert.match(a.urn, /^urn:pulumi:dev::harnessfix::pulumi-nodejs:dynamic\/fixture:Thing::a$/);
        assert.ok(a.inputs.__provider && typeof a.inputs.__provider === "string");
        // b depends on a's output: it was registered (and created) with a's real serial.
        assert.equal(b.inputs.peerSerial, a.outputs.serial);
        assert.deepEqual(first.outputs.ids, { a: a.id, b: b.id });
        assert.deepEqual(first.outputs.serials, { a: a.outputs.serial, b: b.outputs.serial });
        // Secret inputs reach the provider unwrapped, and stay marked secret in state and outputs.
        assert.equal(created[0].body.inputs?.note, "very-secret-note");
        assert.ok(isSecret(a.inputs.note) && isSecret(a.outputs.note));
        assert.equal(first.outputs.secretNote, "very-secret-note");
        assert.deepEqual(first.secretOutputs, ["secretNote"]);

        recorder.calls = [];
        const second = await up(s);
        assertOk(second);
        assert.deepEqual([second.grpcCalls.Create, second.grpcCalls.Update, second.grpcCalls.Delete], [0, 0, 0]);
        assert.equal(second.grpcCalls.Diff, 2);
        assert.equal(second.summary.same, 2);
        assert.deepEqual(recorder.methods().filter((m) => !["configure", "check", "diff"].includes(m)), []);
        assert.deepEqual(readState(s.stateFile).resources.map((r) => r.id), [a.id, b.id]);
    });

    it("a changed field is an Update with old outputs as olds", async () => {
        const s = stack([A]);
        assertOk(await up(s));
        const before = readState(s.stateFile).resources[0];
        recorder.calls = [];
        const r = await up(stack([{ ...A, size: 7 }]));
        assertOk(r);
        assert.equal(r.grpcCalls.Update, 1);
        assert.equal(r.grpcCalls.Create, 0);
        assert.deepEqual(r.steps.map((x) => [x.name, x.op, x.status]), [["a", "update", "done"]]);
        const [update] = recorder.of("update");
        assert.equal(update.body.id, before.id);
        assert.equal((update.body.olds as Record<string, unknown>).serial, before.outputs.serial);
        const after = readState(s.stateFile).resources[0];
        assert.equal(after.id, before.id);
        assert.equal(after.inputs.size, 7);
        assert.notEqual(after.outputs.serial, before.outputs.serial);
    });

    it("a replace-field change creates the new resource, then deletes the old one", async () => {
        const s = stack([A]);
        assertOk(await up(s));
        const old = readState(s.stateFile).resources[0];
        recorder.calls = [];
        const r = await up(stack([{ ...A, region: "ap" }]));
        assertOk(r);
        assert.deepEqual(recorder.methods().filter((m) => m === "create" || m === "delete"), ["create", "delete"]);
        assert.equal(recorder.of("delete")[0].body.id, old.id);
        assert.deepEqual(r.steps.map((x) => [x.op, x.status]), [["replace", "done"], ["delete-replaced", "done"]]);
        assert.deepEqual(r.steps[0].replaces, ["region"]);
        const now = readState(s.stateFile).resources;
        assert.equal(now.length, 1);
        assert.notEqual(now[0].id, old.id);
        assert.equal(now[0].inputs.region, "ap");
    });

    it("delete-before-replace deletes the old resource first", async () => {
        const s = stack([{ ...A, dbr: true }]);
        assertOk(await up(s));
        recorder.calls = [];
        const r = await up(stack([{ ...A, dbr: true, region: "ap" }]));
        assertOk(r);
        assert.deepEqual(recorder.methods().filter((m) => m === "create" || m === "delete"), ["delete", "create"]);
        assert.equal(r.steps[0].deleteBeforeReplace, true);
        assert.equal(readState(s.stateFile).resources.length, 1);
    });

    it("a resource removed from the program is deleted with its recorded outputs", async () => {
        const s = stack([A, { ...B, peer: undefined }]);
        assertOk(await up(s));
        const b = readState(s.stateFile).resources[1];
        recorder.calls = [];
        const r = await up(stack([A]));
        assertOk(r);
        assert.equal(r.grpcCalls.Delete, 1);
        const [del] = recorder.of("delete");
        assert.equal(del.body.id, b.id);
        assert.equal((del.body.props as Record<string, unknown>).serial, b.outputs.serial);
        assert.deepEqual(readState(s.stateFile).resources.map((x) => x.name), ["a"]);
    });

    it("a check failure stops up before any Create, Update or Delete", async () => {
        const s = stack([A, { ...B, peer: undefined }]);
        assertOk(await up(s));
        const before = fs.readFileSync(s.stateFile, "utf8");
        recorder.calls = [];
        // a changes (would update), b is removed (would delete), c is new (would create), d is invalid.
        const r = await up(stack([{ ...A, size: 5 }, { name: "c", size: 3, region: "eu" }, { name: "d", size: -1, region: "eu" }]));
        assert.equal(r.ok, false);
        assert.deepEqual(
            r.checkFailures.map((f) => [f.name, f.property, f.reason]),
            [["d", "size", "size must be a positive number"]],
        );
        assert.deepEqual([r.grpcCalls.Create, r.grpcCalls.Update, r.grpcCalls.Delete], [0, 0, 0]);
        assert.deepEqual(recorder.methods().filter((m) => !["configure", "check"].includes(m)), []);
        assert.equal(fs.readFileSync(s.stateFile, "utf8"), before);
    });

    it("a failing Create or Update leaves that resource's state as it was; other resources proceed", async () => {
        const s = stack([A, { name: "c", size: 3, region: "eu" }]);
        assertOk(await up(s));
        const before = readState(s.stateFile).resources;
        recorder.calls = [];
        const r = await up(stack([{ ...A, size: 9 }, { name: "b", size: 2, region: "us", failCreate: true }, { name: "c", size: 4, region: "eu", failUpdate: true }]));
        assert.equal(r.ok, false);
        assert.ok(r.errors.some((e) => e.includes("create refused: failCreate is set on size 2")), JSON.stringify(r.errors));
        assert.ok(r.errors.some((e) => e.includes("update refused: failUpdate is set")), JSON.stringify(r.errors));
        const byName = Object.fromEntries(r.steps.map((x) => [x.name, x.status]));
        assert.deepEqual(byName, { a: "done", b: "failed", c: "failed" });
        const after = readState(s.stateFile).resources;
        assert.deepEqual(after.map((x) => x.name).sort(), ["a", "c"]);
        assert.equal(after.find((x) => x.name === "a")?.inputs.size, 9);
        assert.deepEqual(after.find((x) => x.name === "c"), before.find((x) => x.name === "c"));
        assert.equal(r.grpcCalls.Delete, 0);
    });

    it("a program error fails the update, deletes nothing and keeps the state", async () => {
        const s = stack([A]);
        assertOk(await up(s));
        const before = fs.readFileSync(s.stateFile, "utf8");
        recorder.calls = [];
        const broken: StackRef = { ...s, config: { ...s.config, "fixture:items": "not json" } };
        const r = await up(broken);
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /program failed/);
        assert.deepEqual([r.grpcCalls.Create, r.grpcCalls.Update, r.grpcCalls.Delete], [0, 0, 0]);
        assert.equal(fs.readFileSync(s.stateFile, "utf8"), before);
    });

    it("destroy deletes everything and empties the state", async () => {
        const s = stack([A, B]);
        assertOk(await up(s));
        const ids = readState(s.stateFile).resources.map((x) => x.id);
        recorder.calls = [];
        const r = await destroy(s, { parallel: 1 });
        assertOk(r);
        // b depends on a, so b goes first.
        assert.deepEqual(recorder.of("delete").map((c) => c.body.id), [ids[1], ids[0]]);
        const state = readState(s.stateFile);
        assert.deepEqual(state.resources, []);
        assert.deepEqual(state.outputs, {});
    });

    it("configure sees the stack config by namespaced key, secrets unwrapped; each run uses the current config", async () => {
        const r1 = await preview(stack([A], { token: "token-old" }));
        assertOk(r1);
        const [configure] = recorder.of("configure");
        assert.deepEqual(configure.body, { label: "label-of-dev", endpoint });
        assert.ok(recorder.calls.every((c) => c.auth === "token-old"));
        recorder.calls = [];
        // Key rotation: a fresh host is configured with the new token.
        const r2 = await up(stack([A], { token: "token-new" }));
        assertOk(r2);
        assert.ok(recorder.calls.length > 0 && recorder.calls.every((c) => c.auth === "token-new"));
        assert.ok(!r2.hostLog.includes("token-new"));
    });

    it("keeps one independent state file per stack", async () => {
        const dev = stack([A], { stack: "dev" });
        const prod = stack([{ name: "x", size: 1, region: "eu" }, { name: "y", size: 1, region: "eu" }], { stack: "prod" });
        assertOk(await up(dev));
        const devState = fs.readFileSync(dev.stateFile, "utf8");
        assertOk(await up(prod));
        assert.deepEqual(recorder.of("delete"), []);
        assert.equal(fs.readFileSync(dev.stateFile, "utf8"), devState);
        const prodState = fs.readFileSync(prod.stateFile, "utf8");
        assert.deepEqual(readState(dev.stateFile).resources.map((r) => r.urn), ["urn:pulumi:dev::harnessfix::pulumi-nodejs:dynamic/fixture:Thing::a"]);
        assert.deepEqual(readState(prod.stateFile).resources.map((r) => r.name), ["x", "y"]);
        assert.ok(recorder.of("configure").some((c) => c.body.label === "label-of-prod"));
        assertOk(await destroy(dev));
        assert.equal(fs.readFileSync(prod.stateFile, "utf8"), prodState);
    });

    it("refresh stores what Read returns and drops resources that are gone", async () => {
        const s = stack([A, { ...B, peer: undefined }]);
        assertOk(await up(s));
        const [a, b] = readState(s.stateFile).resources;
        recorder.objects.set(a.id, { ...recorder.objects.get(a.id), size: 42 });
        recorder.objects.delete(b.id);
        const r = await refresh(s);
        assertOk(r);
        assert.equal(r.grpcCalls.Read, 2);
        assert.deepEqual(Object.fromEntries(r.steps.map((x) => [x.name, x.op])), { a: "update", b: "delete" });
        const state = readState(s.stateFile).resources;
        assert.deepEqual(state.map((x) => x.name), ["a"]);
        assert.equal(state[0].outputs.size, 42);
        assert.equal(state[0].inputs.size, 1);
    });

    it("collect returns the registrations as the SDK serialized them, without calling the provider", async () => {
        const r = await collect(stack([{ ...A, protect: true }, B], { note: "n1" }));
        assert.ok(r.ok, r.error);
        assert.deepEqual(recorder.calls, []);
        const [a, b] = r.registrations;
        assert.equal(a.urn, "urn:pulumi:dev::harnessfix::pulumi-nodejs:dynamic/fixture:Thing::a");
        assert.equal(a.type, "pulumi-nodejs:dynamic/fixture:Thing");
        assert.match(a.inputs.__provider as string, /^exports\.handler = /);
        assert.ok(isSecret(a.inputs.note));
        assert.deepEqual([a.options.protect, b.options.protect], [true, false]);
        assert.deepEqual(b.options.dependencies, [a.urn]);
        assert.equal(b.inputs.peerSerial, UNKNOWN);
        assert.deepEqual(r.secretOutputs, ["secretNote"]);
    });

    it("a protected resource is not deleted when it leaves the program", async () => {
        const s = stack([{ ...A, protect: true }]);
        assertOk(await up(s));
        const r = await up(stack([]));
        assert.equal(r.ok, false);
        assert.match(r.errors.join("\n"), /marked for protection/);
        assert.equal(r.grpcCalls.Delete, 0);
        assert.equal(readState(s.stateFile).resources.length, 1);
    });
});
