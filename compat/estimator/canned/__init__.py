"""TF 1.15's premade estimators (DNN and linear classifiers and regressors) and their heads."""
