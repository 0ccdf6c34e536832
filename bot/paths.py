"""Where the project's files live, so every process finds them from any cwd."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
CONTENT_DIR = DATA_DIR / "content"
MODELS_DIR = ROOT / "models"
VAR_DIR = ROOT / "var"
DOMAIN_PATH = ROOT / "domain"
CONFIG_PATH = ROOT / "config.yml"
ENDPOINTS_PATH = ROOT / "endpoints.yml"
CREDENTIALS_PATH = ROOT / "credentials.yml"
MODEL_PATH = MODELS_DIR / "hotline.tar.gz"
FINGERPRINT_PATH = MODELS_DIR / ".fingerprint"
TRAINING_DATA_DIRS = (DATA_DIR / "nlu", DATA_DIR / "rules", DATA_DIR / "stories")
