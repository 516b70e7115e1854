-- A second database for Optuna studies, beside MLflow's (created by POSTGRES_DB).
CREATE DATABASE optuna;
