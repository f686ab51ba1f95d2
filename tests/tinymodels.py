"""Tiny seq2seq checkpoints for the tests, built offline in seconds.

Two kinds:
- `train_tiny_seq2seq`: a small model *trained* on CPU (well under a minute) to write the lead
  sentence of a report. Its outputs are real, faithful summaries, so the guard can be measured on
  text it must let through (random weights only show it rejecting).
- `build_random_seq2seq`: random weights in the formats Chinese checkpoints ship in (MT5 +
  SentencePiece, T5 + BertTokenizer, BART + BertTokenizer, Pegasus + SentencePiece), the worst
  model there is: every output must be rejected.

Training data: report-like texts generated from templates (dates, places, officials, meetings,
figures; a different random stream for the held-out texts) plus windows of the cleaned seeds (a
window's first sentence is its target). Everything is cached in a folder keyed by a hash of this
file, so a changed recipe retrains and an unchanged one loads in a second.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from evaluation.tinymodel import train_sentencepiece

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CACHE = ROOT / ".pytest_cache" / "tinymodels"  # ignored by git; survives between test sessions
RECIPE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]

ARCHS = ("mt5", "t5", "bart", "pegasus")  # random-weight formats; mt5/t5/bart can also be trained
# Tokenizer of each format as the public checkpoints ship it.
# Pegasus with SentencePiece (declared as T5Tokenizer) shows the architecture loads without
# remote code; Randeng's own layout (a BERT vocab.txt + tokenizers_pegasus.py) is refused.
TOKENIZER_OF = {"mt5": "sentencepiece", "t5": "bert", "bart": "bert", "pegasus": "sentencepiece"}

MAX_SOURCE = 90  # characters of report per training example (the lead and what follows it)
MAX_LEAD = 60  # longest lead sentence used as a target

# --- report-like texts ------------------------------------------------------------------------------

_PLACES = (
    "草潭镇",
    "奉节县",
    "麦积区",
    "竹溪县",
    "城关镇",
    "威宁县",
    "广安市",
    "天水市",
    "遂溪县",
    "竹山县",
    "秦安县",
    "甘谷县",
    "武山县",
    "清水县",
    "张家川县",
    "宁陕县",
    "石泉县",
    "汉阴县",
    "紫阳县",
    "岚皋县",
    "平利县",
    "镇坪县",
    "旬阳县",
    "白河县",
    "巫山县",
    "巫溪县",
    "云阳县",
    "开州区",
    "万州区",
    "忠县",
    "石柱县",
    "彭水县",
    "酉阳县",
    "秀山县",
    "黔江区",
    "武隆区",
    "丰都县",
    "垫江县",
    "梁平区",
    "城口县",
)
_TITLES = (
    "县委书记",
    "县长",
    "副县长",
    "县委副书记",
    "县人大常委会副主任",
    "县政协副主席",
    "镇党委书记",
    "镇长",
    "区委书记",
    "区长",
    "副区长",
    "市委常委",
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤祁"
)
_GIVEN = "国建华明永志军文平东海红玉春金林英成德荣光峰强伟刚勇涛斌超杰清亮宏辉美秀兰芳丽敏静燕霞云莉"
_MEETINGS = (
    "脱贫攻坚与乡村振兴有效衔接工作推进会",
    "乡村振兴工作会议",
    "巩固拓展脱贫攻坚成果工作会",
    "驻村帮扶工作座谈会",
    "产业发展现场推进会",
    "防止返贫动态监测工作培训会",
    "人居环境整治工作调度会",
    "乡村振兴领导小组会议",
    "驻镇帮镇扶村工作部署会",
    "东西部协作工作联席会议",
    "衔接资金项目管理工作会",
    "农村集体经济发展座谈会",
)
_VENUES = ("政府四楼会议室", "县委常委会议室", "镇政府会议室", "县行政中心会议室", "党群服务中心", "村委会议室")
_PURPOSES = (
    "扎实推进乡村振兴各项工作",
    "巩固拓展脱贫攻坚成果",
    "进一步做好驻村帮扶工作",
    "推动产业持续健康发展",
    "做好防止返贫动态监测",
    "全面推进农村人居环境整治",
)
_ROLES = ("出席会议并讲话", "主持会议", "出席会议并作部署", "出席会议", "作工作汇报")
_BODY = (
    "会议传达学习了上级有关会议精神。",
    "会议指出，要坚决守住不发生规模性返贫的底线。",
    "会议强调，各级各部门要压实责任，狠抓落实。",
    "会议要求，要持续加强驻村帮扶力量，确保政策不断档。",
    "今年以来，全县累计投入衔接资金{n1}万元，实施项目{n2}个。",
    "全县{n3}户{n4}人已全部脱贫退出。",
    "全县脱贫人口人均纯收入达到{n5}元，同比增长{n6}%。",
    "{place}共选派驻村第一书记{n2}名，工作队员{n7}名。",
    "会上，各驻村工作队分别汇报了近期工作开展情况。",
    "与会人员还实地察看了{place}特色产业基地。",
    "会议对下一阶段重点工作进行了安排部署。",
    "会议要求，要聚焦产业就业，千方百计增加群众收入。",
)


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _lead(rng: random.Random, place: str, date: str) -> str:
    meeting = rng.choice(_MEETINGS)
    official = rng.choice(_TITLES) + _name(rng)
    forms = (
        f"{date}，{place}召开{meeting}。",
        f"{date}上午，{place}在{rng.choice(_VENUES)}召开{meeting}，{official}{rng.choice(_ROLES)}。",
        f"为{rng.choice(_PURPOSES)}，{date}，{place}召开{meeting}。",
        f"{date}，{official}主持召开{place}{meeting}。",
        f"{date}下午，{place}召开{meeting}，{official}{rng.choice(_ROLES)}。",
    )
    return rng.choice(forms)


def synthetic_report(rng: random.Random) -> str:
    """A report-like text: a lead sentence naming date, place, meeting (and an official), then
    two to four body sentences with figures."""
    place = rng.choice(_PLACES)
    date = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    numbers = {
        "n1": rng.randint(120, 9800),
        "n2": rng.randint(3, 180),
        "n3": rng.randint(200, 9000),
        "n4": rng.randint(900, 30000),
        "n5": rng.randint(6000, 16000),
        "n6": rng.randint(3, 15),
        "n7": rng.randint(20, 600),
    }
    body = [s.format(place=place, **numbers) for s in rng.sample(_BODY, rng.randint(2, 4))]
    return _lead(rng, place, date) + "".join(body)


def seed_texts() -> list[str]:
    from briefing.clean import clean_text

    return [clean_text(p.read_text(encoding="utf-8")).text for p in sorted(SEEDS.glob("*.txt"))]


def lead_pairs(text: str, stride: int = 1) -> list[tuple[str, str]]:
    """(source, target) windows of a cleaned text: from each sentence on, up to MAX_SOURCE
    characters; the window's first sentence is the target when it is a sensible length."""
    from briefing.sentences import split_sentences

    sentences = split_sentences(text)
    pairs = []
    for start in range(0, len(sentences), stride):
        lead = sentences[start]
        if not 12 <= len(lead) <= MAX_LEAD or not lead.endswith("。"):
            continue
        source = ""
        for sentence in sentences[start:]:
            if len(source) + len(sentence) > MAX_SOURCE and source:
                break
            source += sentence
        if len(source) > len(lead):  # a window that is only its lead has nothing to summarize
            pairs.append((source[:MAX_SOURCE], lead))
    return pairs


@dataclass(frozen=True)
class LeadData:
    train: list[tuple[str, str]]
    heldout: list[tuple[str, str]]  # texts the model never saw, with their lead sentence


def scrambled_sentence(rng: random.Random, chars: str, low: int = 10, high: int = 50) -> str:
    """Characters drawn from real text in random order, with commas and a final 。: nothing
    to memorize, so the model must learn to copy (what generalizes to unseen reports)."""
    body = [rng.choice(chars) for _ in range(rng.randint(low, high))]
    for _ in range(len(body) // 15):
        body[rng.randrange(2, len(body) - 1)] = "，"
    return "".join(body) + "。"


def lead_data(seed: int = 0, synthetic: int = 1000, scrambled: int = 2500, heldout: int = 60) -> LeadData:
    """Training pairs: synthetic reports, scrambled sentences and windows of seeds 000–003;
    held out: synthetic reports from another random stream + windows of seed 004."""
    texts = seed_texts()
    rng = random.Random(seed)
    train = [(t[:MAX_SOURCE], lead_pairs(t)[0][1]) for t in (synthetic_report(rng) for _ in range(synthetic))]
    chars = "".join(re.findall(r"[\u4e00-\u9fff0-9]", "".join(texts[:-1])))
    for _ in range(scrambled):
        lead = scrambled_sentence(rng, chars)
        train.append(((lead + scrambled_sentence(rng, chars))[:MAX_SOURCE], lead))
    seed_windows = [pair for text in texts[:-1] for pair in lead_pairs(text)]
    train += seed_windows * 4  # real text is rarer than the templates; show it more often
    held_rng = random.Random(10_000 + seed)
    held = [(t[:MAX_SOURCE], lead_pairs(t)[0][1]) for t in (synthetic_report(held_rng) for _ in range(heldout))]
    held += lead_pairs(texts[-1])
    return LeadData(train, held)


# --- tokenizers ------------------------------------------------------------------------------------


def _sentencepiece_tokenizer(texts: list[str], folder: Path, vocab_size: int):
    from transformers import T5Tokenizer

    train_sentencepiece(texts, folder, vocab_size)
    # transformers 5 converts the SentencePiece model when loading a folder that holds it.
    tokenizer = T5Tokenizer.from_pretrained(str(folder), extra_ids=0)
    (folder / "spiece.vocab").unlink(missing_ok=True)
    return tokenizer


def _bert_tokenizer(texts: list[str], folder: Path):
    """A BertTokenizer over the characters of `texts`, laid out like the Chinese BERT vocab
    (special tokens first, then one entry per character; digits and Latin as whole words)."""
    from transformers import BertTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    chars = sorted({ch for text in texts for ch in text if not ch.isspace()})
    singles = [str(d) for d in range(10)] + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    words = singles + ["##" + w for w in singles]  # "17" is 1 ##7, as in bert-base-chinese
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [w for w in dict.fromkeys(words + chars)]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    return BertTokenizer(str(folder / "vocab.txt"), do_lower_case=True, tokenize_chinese_chars=True)


# --- model configurations --------------------------------------------------------------------------


def _config(arch: str, tokenizer, size: str):
    from transformers import BartConfig, MT5Config, PegasusConfig, T5Config

    vocab = len(tokenizer)
    pad = tokenizer.pad_token_id
    d = 64 if size == "train" else 32
    if arch in ("mt5", "t5"):
        cls = MT5Config if arch == "mt5" else T5Config
        eos = tokenizer.eos_token_id if arch == "mt5" else tokenizer.sep_token_id
        config = cls(
            vocab_size=vocab,
            d_model=d,
            d_kv=d // 4,
            d_ff=2 * d,
            num_layers=2,
            num_decoder_layers=2,
            num_heads=4,
            feed_forward_proj="gated-gelu" if arch == "mt5" else "relu",
            decoder_start_token_id=pad,
            pad_token_id=pad,
            eos_token_id=eos,
            dropout_rate=0.0,
        )
        # transformers 5 resets tie_word_embeddings to True in the constructor; mT5 has an untied
        # lm_head, and a tied one makes a random model echo its decoder start token ([PAD]) forever.
        config.tie_word_embeddings = False
        return config
    common = dict(
        vocab_size=vocab,
        d_model=d,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=2 * d,
        decoder_ffn_dim=2 * d,
        max_position_embeddings=512,
        pad_token_id=pad,
        dropout=0.0,
    )
    if arch == "bart":
        # fnlp/bart-base-chinese: BertTokenizer, [CLS] starts and [SEP] ends a sequence.
        cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
        config = BartConfig(
            **common,
            bos_token_id=cls_id,
            eos_token_id=sep_id,
            decoder_start_token_id=sep_id,
            forced_eos_token_id=sep_id,
        )
    elif arch == "pegasus":
        config = PegasusConfig(**common, eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=pad)
    else:
        raise ValueError(f"unknown architecture {arch!r}; one of {ARCHS}")
    # Random weights with tied embeddings echo the decoder's start token, i.e. write nothing;
    # untied they write the nonsense the guard must catch. Training keeps BART's tied ones.
    config.tie_word_embeddings = size == "train"
    return config


def _tokenizer(arch: str, texts: list[str], folder: Path):
    if TOKENIZER_OF[arch] == "sentencepiece":
        return _sentencepiece_tokenizer(texts, folder, vocab_size=2000)
    return _bert_tokenizer(texts, folder)


def _cached(out_dir: Path, name: str) -> tuple[Path, bool]:
    folder = Path(out_dir) / f"{name}-{RECIPE}"
    return folder, (folder / "config.json").is_file() and (folder / "done").is_file()


def _finish(tmp: Path, folder: Path) -> Path:
    (tmp / "done").write_text("", encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder


# --- random weights --------------------------------------------------------------------------------


def build_random_seq2seq(out_dir: Path, arch: str = "mt5", seed: int = 0) -> Path:
    """A random-weight checkpoint of `arch` with a tokenizer built from the seeds' characters."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    folder, done = _cached(out_dir, f"random-{arch}-s{seed}")
    if done:
        return folder
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir, prefix=".build-"))
    texts = seed_texts()
    tokenizer = _tokenizer(arch, texts, tmp)
    config = _config(arch, tokenizer, "random")
    torch.manual_seed(seed)
    model = AutoModelForSeq2SeqLM.from_config(config)
    model.save_pretrained(str(tmp))
    tokenizer.save_pretrained(str(tmp))
    return _finish(tmp, folder)


# --- training ------------------------------------------------------------------------------------


def train_tiny_seq2seq(out_dir: Path, arch: str = "bart", seed: int = 0, steps: int = 1500) -> Path:
    """Train a small `arch` model to write a report's lead sentence; return its folder (a
    loadable Hugging Face checkpoint: config, safetensors weights, tokenizer, and
    `heldout.json`, the texts it never saw). Cached in `out_dir` by recipe, arch, seed and steps.

    BART (+ BertTokenizer, the layout of fnlp/bart-base-chinese) learns to copy in the budget:
    its learned positions can align output and input from the start (`_share_positions`). T5
    and mT5 have only relative positions, learn the templates but not copying in so few steps,
    and their outputs mostly fail the guard: trainable here, but not the model to measure with."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    folder, done = _cached(out_dir, f"lead-{arch}-s{seed}-{steps}")
    if done:
        return folder
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir, prefix=".train-"))
    data = lead_data(seed)
    tokenizer = _tokenizer(arch, [s for s, _ in data.train] + seed_texts(), tmp)
    config = _config(arch, tokenizer, "train")
    torch.manual_seed(seed)
    model = AutoModelForSeq2SeqLM.from_config(config)
    if arch == "bart":
        _share_positions(model)
    sources = tokenizer([s for s, _ in data.train], truncation=True, max_length=128)["input_ids"]
    targets = tokenizer([t for _, t in data.train], truncation=True, max_length=96)["input_ids"]
    pad = tokenizer.pad_token_id
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=steps, pct_start=0.1)
    rng = random.Random(seed)
    order = list(range(len(sources)))
    model.train()
    batch = 32
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: more threads only wait on each other on a busy CPU
    for _ in range(steps):
        picks = rng.sample(order, batch)
        src = _pad([sources[i] for i in picks], pad)
        tgt = _pad([targets[i] for i in picks], -100)
        loss = model(
            input_ids=torch.tensor(src), attention_mask=torch.tensor(src).ne(pad).long(), labels=torch.tensor(tgt)
        ).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    torch.set_num_threads(threads)
    model.eval()
    model.save_pretrained(str(tmp))
    # Trained on short windows: longer reports are split into pieces of this size by the engine.
    tokenizer.model_max_length = 128
    tokenizer.save_pretrained(str(tmp))
    (tmp / "heldout.json").write_text(
        json.dumps([{"source": s, "lead": t} for s, t in data.heldout], ensure_ascii=False, indent=0),
        encoding="utf-8",
    )
    (tmp / "train_loss.txt").write_text(f"{float(loss.detach()):.4f}\n", encoding="utf-8")
    return _finish(tmp, folder)


def _share_positions(model) -> None:
    """One sinusoidal table for the encoder's and the decoder's learned positions: output
    position i then starts out looking at input position i, the alignment a lead sentence needs,
    and a few hundred steps suffice (random tables took thousands)."""
    import math

    import torch

    encoder, decoder = model.model.encoder.embed_positions, model.model.decoder.embed_positions
    rows, dim = encoder.weight.shape
    position = torch.arange(rows, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10_000.0) / dim))
    table = torch.zeros(rows, dim)
    table[:, 0::2] = torch.sin(position * freq)
    table[:, 1::2] = torch.cos(position * freq)
    with torch.no_grad():
        encoder.weight.copy_(table)
        decoder.weight.copy_(table)


def _pad(rows: list[list[int]], value: int) -> list[list[int]]:
    longest = max(len(r) for r in rows)
    return [r + [value] * (longest - len(r)) for r in rows]


def heldout_pairs(model_dir: Path) -> list[tuple[str, str]]:
    """The held-out (source, lead) pairs saved next to a trained model."""
    rows = json.loads((Path(model_dir) / "heldout.json").read_text(encoding="utf-8"))
    return [(r["source"], r["lead"]) for r in rows]
